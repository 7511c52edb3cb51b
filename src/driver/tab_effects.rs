//! The detail tabs' requests: the client calls behind each `TabEffect`.

use crate::app::ApiResult;
use crate::app::tabs::{TabEffect, TabResult};
use crate::okta::{Client, GroupQuery, PageStart};

pub async fn work(client: Client, effect: TabEffect) -> ApiResult {
    ApiResult::Tab(match effect {
        TabEffect::FetchFactors { user_id, .. } => TabResult::Factors(client.list_factors(&user_id).await),
        TabEffect::FetchApps { user_id, .. } => TabResult::Apps(client.list_app_links(&user_id).await),
        TabEffect::SearchGroups { q, .. } => {
            // One page of name matches: a large org's groups are never all listed.
            let limit = Some(crate::app::tabs::GROUP_SEARCH_LIMIT);
            let query = GroupQuery { q: (!q.is_empty()).then_some(q), limit, ..GroupQuery::default() };
            TabResult::GroupSearch(client.list_groups_page(PageStart::First(&query)).await.map(|p| p.items))
        }
        TabEffect::AddToGroup { user_id, group_id, .. } => {
            TabResult::Changed(client.add_user_to_group(&group_id, &user_id).await)
        }
        TabEffect::RemoveFromGroup { user_id, group_id, .. } => {
            TabResult::Changed(client.remove_user_from_group(&group_id, &user_id).await)
        }
        TabEffect::ResetFactor { user_id, factor_id, .. } => {
            TabResult::Changed(client.reset_factor(&user_id, &factor_id).await)
        }
        TabEffect::ClearSessions { user_id, options, .. } => {
            TabResult::Changed(client.clear_sessions(&user_id, options).await)
        }
    })
}
