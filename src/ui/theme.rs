//! Colors and styles in one place. With `NO_COLOR` every style keeps its
//! modifiers (bold, reverse) and loses its colors, so nothing depends on
//! color alone: statuses are always spelled out.

use crate::okta::UserStatus;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    #[default]
    Dark,
    Light,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub palette: Palette,
}

impl Default for Theme {
    fn default() -> Self {
        Self { color: true, palette: Palette::Dark }
    }
}

impl Theme {
    pub const NO_COLOR: Theme = Theme { color: false, palette: Palette::Dark };

    /// Honors the `NO_COLOR` convention (any non-empty value).
    pub fn from_env(palette: Palette) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self { color: !no_color, palette }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    fn muted(&self) -> Color {
        match self.palette {
            Palette::Dark => Color::DarkGray,
            Palette::Light => Color::Gray,
        }
    }

    pub fn status(&self, status: Option<UserStatus>) -> Style {
        let (dark, light) = match status {
            Some(UserStatus::Active) => (Color::Green, Color::Green),
            Some(UserStatus::Staged | UserStatus::Provisioned) => (Color::Cyan, Color::Blue),
            Some(UserStatus::Recovery | UserStatus::PasswordExpired) => (Color::Yellow, Color::Magenta),
            Some(UserStatus::LockedOut | UserStatus::Suspended) => (Color::Red, Color::Red),
            Some(UserStatus::Deprovisioned) | None => (self.muted(), self.muted()),
        };
        self.fg(if self.palette == Palette::Dark { dark } else { light })
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn focused_border(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.fg(self.muted())
    }

    pub fn dim(&self) -> Style {
        self.fg(self.muted())
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn success(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Worth a look, not a failure (a security event in the System Log).
    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn json_key(&self) -> Style {
        self.fg(match self.palette {
            Palette::Dark => Color::LightBlue,
            Palette::Light => Color::Blue,
        })
    }

    pub fn json_string(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn json_number(&self) -> Style {
        self.fg(Color::Magenta)
    }

    pub fn json_literal(&self) -> Style {
        self.fg(Color::Yellow)
    }
}

/// A status as a colored dot and the word; the word carries the meaning.
pub fn status_badge(status: Option<UserStatus>) -> String {
    format!("● {}", status.map_or("UNKNOWN", |s| s.as_str()))
}
