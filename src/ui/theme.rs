//! Colors and styles in one place.

use crate::okta::UserStatus;
use ratatui::style::{Color, Modifier, Style};

pub fn status_color(status: Option<UserStatus>) -> Color {
    match status {
        Some(UserStatus::Active) => Color::Green,
        Some(UserStatus::Staged | UserStatus::Provisioned) => Color::Cyan,
        Some(UserStatus::Recovery | UserStatus::PasswordExpired) => Color::Yellow,
        Some(UserStatus::LockedOut | UserStatus::Suspended) => Color::Red,
        Some(UserStatus::Deprovisioned) | None => Color::DarkGray,
    }
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red)
}
