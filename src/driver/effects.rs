//! Runs effects on tokio tasks and sends their results back as messages.

use crate::app::{ApiResult, Effect, Msg, PageFrom};
use crate::okta::{Client, PageStart};
use tokio::sync::mpsc::UnboundedSender;

/// Starts the work for one effect. Never blocks the caller.
pub fn spawn(client: &Client, effect: Effect, tx: &UnboundedSender<Msg>) {
    let client = client.clone();
    let tx = tx.clone();
    match effect {
        Effect::Quit => {}
        Effect::FetchPage { req, from } => {
            tokio::spawn(async move {
                let result = match &from {
                    PageFrom::First(q) => client.list_users_page(PageStart::First(q)).await,
                    PageFrom::Next(url) => client.list_users_page(PageStart::Next(url)).await,
                };
                let _ = tx.send(Msg::Api(req, ApiResult::Page(result)));
            });
        }
        Effect::FetchUser { req, id } => {
            tokio::spawn(async move {
                let result = client.get_user(&id).await;
                let _ = tx.send(Msg::Api(req, ApiResult::User(result)));
            });
        }
        Effect::CreateUser { req, create } => {
            tokio::spawn(async move {
                let result = client.create_user(&create).await;
                let _ = tx.send(Msg::Api(req, ApiResult::Created(result)));
            });
        }
    }
}
