use std::any::Any;

use super::*;

const LIFETIME: Duration = Duration::days(30);

fn hash(name: &str) -> RefreshTokenHash {
    RefreshTokenHash::new(format!("digest-of-{name}"))
}

fn started() -> Session {
    let mut session = Session::start(
        SessionId::new(),
        UserId::new(),
        hash("first"),
        Some("curl/8.5"),
        DateTime::UNIX_EPOCH,
        LIFETIME,
    );
    session.take_events();
    session
}

fn ended_events(session: &mut Session) -> Vec<SessionEnded> {
    session
        .take_events()
        .iter()
        .filter_map(|event| (event.as_ref() as &dyn Any).downcast_ref::<SessionEnded>())
        .cloned()
        .collect()
}

#[test]
fn starting_records_session_started_and_sets_the_lifetime() {
    let user = UserId::new();
    let id = SessionId::new();
    let mut session = Session::start(
        id,
        user,
        hash("first"),
        None,
        DateTime::UNIX_EPOCH,
        LIFETIME,
    );

    assert_eq!(session.expires_at(), DateTime::UNIX_EPOCH + LIFETIME);
    assert!(session.is_active(DateTime::UNIX_EPOCH));
    let events = session.take_events();
    let started = (events[0].as_ref() as &dyn Any)
        .downcast_ref::<SessionStarted>()
        .expect("a SessionStarted event");
    assert_eq!((started.session_id, started.user_id), (id, user));
}

#[test]
fn the_current_token_renews_the_session_and_is_replaced() {
    let mut session = started();
    let later = DateTime::UNIX_EPOCH + Duration::days(10);

    session
        .refresh(&hash("first"), hash("second"), later, LIFETIME)
        .unwrap();

    assert_eq!(session.refresh_token(), &hash("second"));
    assert_eq!(session.last_used_at(), later);
    assert_eq!(session.expires_at(), later + LIFETIME);
    assert!(session.events().is_empty());
}

#[test]
fn a_token_presented_again_after_its_exchange_ends_the_session() {
    let mut session = started();
    let now = DateTime::UNIX_EPOCH + Duration::minutes(1);
    session
        .refresh(&hash("first"), hash("second"), now, LIFETIME)
        .unwrap();

    let result = session.refresh(&hash("first"), hash("third"), now, LIFETIME);

    assert_eq!(result, Err(RefreshRefused::Reused));
    assert!(!session.is_active(now));
    let ended = ended_events(&mut session);
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].reason, SessionEndReason::ReuseDetected);
    // The newest token of the chain is dead too: both parties are out.
    assert_eq!(
        session.refresh(&hash("second"), hash("fourth"), now, LIFETIME),
        Err(RefreshRefused::Ended)
    );
    assert!(session.events().is_empty(), "ending twice records nothing");
}

#[test]
fn an_expired_session_cannot_be_renewed_and_records_nothing() {
    let mut session = started();
    let expiry = DateTime::UNIX_EPOCH + LIFETIME;

    assert_eq!(
        session.refresh(&hash("first"), hash("second"), expiry, LIFETIME),
        Err(RefreshRefused::Expired)
    );
    assert!(!session.is_active(expiry));
    assert!(session.is_active(expiry - Duration::seconds(1)));
    assert!(!session.end(SessionEndReason::Logout, expiry));
    assert!(session.events().is_empty());
}

#[test]
fn ending_records_the_reason_once() {
    let mut session = started();

    assert!(session.end(SessionEndReason::Logout, DateTime::UNIX_EPOCH));
    assert!(!session.end(SessionEndReason::Revoked, DateTime::UNIX_EPOCH));

    let ended = ended_events(&mut session);
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].reason, SessionEndReason::Logout);
    assert_eq!(ended[0].session_id, session.id());
    assert_eq!(session.ended_at(), Some(DateTime::UNIX_EPOCH));
}

#[test]
fn the_user_agent_is_clipped_and_cleaned() {
    let long = format!("Mozilla\u{7}/5.0 {}", "x".repeat(1000));
    let session = Session::start(
        SessionId::new(),
        UserId::new(),
        hash("first"),
        Some(&long),
        DateTime::UNIX_EPOCH,
        LIFETIME,
    );
    let kept = session.user_agent().unwrap();
    assert_eq!(kept.chars().count(), USER_AGENT_MAX_CHARS);
    assert!(kept.starts_with("Mozilla/5.0 "));

    let blank = Session::start(
        SessionId::new(),
        UserId::new(),
        hash("first"),
        Some("  "),
        DateTime::UNIX_EPOCH,
        LIFETIME,
    );
    assert_eq!(blank.user_agent(), None);
}
