//! What `oktui serve` checks before it listens: the token every request
//! must present, and whether the address exposes the org beyond this
//! machine. Functions, so the rules are tested without listening publicly.

use std::net::SocketAddr;

/// The token every API request must present. An empty one would lock
/// every client out, and one with spaces or control characters cannot be
/// sent in an `Authorization` header.
pub fn check_token(token: &str) -> Result<(), String> {
    if token.trim().is_empty() {
        return Err("the org needs a token for clients to present: give --token TOKEN (or OKTUI_SERVE_TOKEN), \
                    or leave both out to have one generated"
            .into());
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the token holds spaces or control characters, which an Authorization header cannot carry; \
                    choose another"
            .into());
    }
    Ok(())
}

/// The warning to print when `addr` is reachable from other machines.
pub fn exposure_warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "listening on {addr}, which is not a loopback address: anyone who can reach this machine can reach \
             the org, over plain http. Every request still needs the token, and the token travels in clear \
             text. Use --listen 127.0.0.1:PORT to keep the org on this machine."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_quiet_and_anything_else_warns() {
        for quiet in ["127.0.0.1:8080", "127.8.9.10:1", "[::1]:443"] {
            assert_eq!(exposure_warning(quiet.parse().unwrap()), None, "{quiet}");
        }
        for loud in ["0.0.0.0:8080", "192.168.1.20:80", "[::]:8080", "[2001:db8::1]:9"] {
            let text = exposure_warning(loud.parse().unwrap()).unwrap_or_default();
            assert!(text.starts_with(&format!("listening on {loud}, which is not a loopback address")), "{text}");
            assert!(text.contains("needs the token") && text.contains("--listen 127.0.0.1:PORT"), "{text}");
        }
    }

    #[test]
    fn the_token_must_be_presentable() {
        assert!(check_token("00abc-token").is_ok());
        for bad in ["", "   ", "two words", "tab\there", "new\nline"] {
            assert!(check_token(bad).is_err(), "{bad:?}");
        }
        assert!(check_token("").unwrap_err().contains("--token"));
    }
}
