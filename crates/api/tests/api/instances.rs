//! Several instances on one PostgreSQL database, as docs/operations.md describes them: two
//! real `api` processes behind a load balancer (played by the test) share registrations,
//! log-ins and task additions, and one of them is killed with SIGKILL while it delivers an
//! event. Afterwards every user in the database has exactly one starter project, every event
//! is delivered, and every handler that docs/events.md lists for an event has recorded it in
//! its inbox and made its effect exactly once.
//!
//! The kill is not left to chance. A trigger on `event_inbox` makes the victim's connections
//! (known by their `application_name`) take a shared advisory lock before they record an
//! event in the inbox. The test takes that lock exclusively when it chooses, waits until one
//! of the victim's handlers is blocked on it, and kills the victim then. So at the kill, an
//! event has committed under the victim's claim, one of its handlers is half-way, and the
//! request that raised it has no answer yet: the case that leases and the inbox are for.
//!
//! PostgreSQL only: SQLite is one file per process, and the outbox supports one process per
//! SQLite database (docs/events.md, "Several processes").

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream;
use platform_database::testing::{Postgres, TestDatabase};
use reqwest::{RequestBuilder, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, TransactionTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{JWT_SECRET, PASSWORD};
use crate::sql::{count, eventually, query};

/// How many users register. With their log-ins, project lists and task additions, this is
/// some 250 requests.
const USERS: usize = 40;
const TASKS_PER_USER: usize = 3;
/// How many users go through their requests at the same time.
const CONCURRENT_USERS: usize = 8;
/// How many answers the victim gives before it is killed: about a fifth of its share, so that
/// most of the load runs on after the kill, on the survivor, while it takes over the victim's
/// claims.
const VICTIM_ANSWERS_BEFORE_THE_KILL: usize = 25;
/// What each instance's connections call themselves (`application_name`): the trigger holds
/// only the victim's, and notes which instance committed each inbox row.
const VICTIM: &str = "instances-victim";
const SURVIVOR: &str = "instances-survivor";
/// The advisory lock the victim's inbox writes wait for while the test holds it.
const HOLD: i64 = 16_006;
const STARTER_PROJECT: &str = "My first project";

#[tokio::test]
async fn two_instances_handle_every_event_once_when_one_is_killed_mid_delivery() {
    let database = TestDatabase::create(Postgres).await;
    // The release step docs/operations.md asks for, so that the two instances don't both
    // migrate at start-up.
    migrate(&database.url).await;
    let connection = sea_orm::Database::connect(&database.url).await.unwrap();
    hold_the_victims_inbox_writes(&connection).await;

    let survivor = Instance::start(&with_application_name(&database.url, SURVIVOR));
    let mut victim = Instance::start(&with_application_name(&database.url, VICTIM));
    survivor.wait_until_healthy().await;
    victim.wait_until_healthy().await;

    let balancer = Balancer::new(&survivor.address, &victim.address);
    let load = stream::iter(0..USERS)
        .map(|user| journey(&balancer, user))
        .buffer_unordered(CONCURRENT_USERS)
        .collect::<Vec<_>>();
    let (journeys, left_by_the_kill) = tokio::join!(
        load,
        kill_in_the_middle(&balancer, &mut victim, &connection)
    );
    let cut = balancer.cut.load(Ordering::SeqCst);
    assert!(
        cut > 0,
        "the kill came while a request's event was being delivered, so that request has no answer"
    );
    assert!(
        left_by_the_kill > 0,
        "the kill left the event it interrupted pending under the victim's claim"
    );

    eventually("every event is delivered", || async {
        let undelivered = query(
            &connection,
            "SELECT event_type, status, attempts, last_error FROM event_outbox \
             WHERE status <> 'delivered'",
            vec![],
        )
        .await;
        let dead: Vec<String> = undelivered
            .iter()
            .filter(|row| text(row, "status") == "dead")
            .map(|row| {
                format!(
                    "{}: {:?}",
                    text(row, "event_type"),
                    optional_text(row, "last_error")
                )
            })
            .collect();
        assert!(dead.is_empty(), "no event may be dead: {dead:#?}");
        undelivered.is_empty().then_some(())
    })
    .await;

    let stored = Stored::read(&connection).await;
    assert_every_answer_is_kept(&journeys, &stored);
    assert_the_events_tell_what_was_stored(&stored);

    let documented = documented_handlers();
    let mut handled: BTreeMap<&str, Vec<&StoredEvent>> = BTreeMap::new();
    let mut expected_inbox = BTreeSet::new();
    for event in &stored.events {
        let handlers = documented.get(&event.event_type).unwrap_or_else(|| {
            panic!(
                "{} is not in docs/events.md's table of event types",
                event.event_type
            )
        });
        for handler in handlers {
            handled.entry(&handler.name).or_default().push(event);
            if handler.keeps_an_inbox {
                expected_inbox.insert((handler.name.clone(), event.event_id));
            }
        }
    }
    assert_eq!(
        describe_differences(&expected_inbox, &stored.inbox),
        "",
        "every handler recorded every event it handles in its inbox, and nothing else"
    );
    for (handler, events) in &handled {
        match *handler {
            "accounts.SendWelcomeEmail" => {
                assert_one_welcome_email_each(events, &stored, &survivor, &victim).await;
            }
            "projects.CreateStarterProject" => assert_one_starter_project_each(events, &stored),
            "activity.RecordActivity" => assert_one_activity_entry_each(events, &stored),
            other => panic!(
                "{other} handled {} event(s) here, and this test does not know its effect: \
                 add a check that it made it exactly once",
                events.len()
            ),
        }
    }
    eprintln!(
        "{} users, {} events, {cut} request(s) cut by the kill, {left_by_the_kill} event(s) \
         left pending by it",
        stored.users.len(),
        stored.events.len()
    );
}

/// Applies the migrations with the real binary, as a release step would.
async fn migrate(database_url: &str) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_api"));
    command
        .args(["migrate", "up"])
        .env("DATABASE_URL", database_url)
        .env("APP_ENV", "test");
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("the api binary runs");
    assert!(
        output.status.success(),
        "api migrate up: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// From now on the victim's connections wait for the advisory lock `HOLD` (shared) before
/// each insert into the inbox: nothing, until the test takes it. And `inbox_writers` notes
/// which instance wrote each inbox row, in the same transaction: it names the instance whose
/// handler's transaction committed.
async fn hold_the_victims_inbox_writes(connection: &DatabaseConnection) {
    connection
        .execute_unprepared(&format!(
            "CREATE FUNCTION hold_the_victim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
               IF current_setting('application_name') = '{VICTIM}' THEN \
                 PERFORM pg_advisory_xact_lock_shared({HOLD}); \
               END IF; \
               RETURN NEW; \
             END $$; \
             CREATE TRIGGER hold_the_victim BEFORE INSERT ON event_inbox \
             FOR EACH ROW EXECUTE FUNCTION hold_the_victim(); \
             CREATE TABLE inbox_writers (handler text, event_id uuid, instance text); \
             CREATE FUNCTION note_the_writer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
               INSERT INTO inbox_writers \
               VALUES (NEW.handler, NEW.event_id, current_setting('application_name')); \
               RETURN NEW; \
             END $$; \
             CREATE TRIGGER note_the_writer AFTER INSERT ON event_inbox \
             FOR EACH ROW EXECUTE FUNCTION note_the_writer()"
        ))
        .await
        .unwrap();
}

fn with_application_name(url: &str, name: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}application_name={name}")
}

/// A running `api` process, and what it logs; killed when the test ends.
struct Instance {
    child: Child,
    address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Instance {
    fn start(database_url: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_api"))
            .env("DATABASE_URL", database_url)
            .env("APP_ENV", "test")
            // Both instances must accept each other's tokens.
            .env("JWT_SECRET", JWT_SECRET)
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("METRICS_ADDR", "")
            .env("BCRYPT_COST", "4")
            .env("DATABASE_MAX_CONNECTIONS", "5")
            // All the load comes from one address.
            .env("LOGIN_RATE_PER_MINUTE", "0")
            .env("REGISTER_RATE_PER_HOUR", "0")
            // The victim's claims run out soon after the kill, and the survivor looks often.
            .env("OUTBOX_CLAIM_LEASE_MS", "2000")
            .env("OUTBOX_POLL_INTERVAL_MS", "50")
            .env("OUTBOX_RETRY_DELAY_MS", "50")
            .env("OUTBOX_MAX_RETRY_DELAY_MS", "500")
            // A failure is retried rather than parked: the test then reports it as an event
            // that is never delivered, with its error.
            .env("OUTBOX_MAX_ATTEMPTS", "100")
            // The welcome emails, which `TracingMailer` logs, and anything that goes wrong.
            .env(
                "RUST_LOG",
                "warn,accounts_infrastructure::tracing_mailer=info",
            )
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the api binary starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let lines = log.clone();
        // Read as it comes, so that the pipe never fills and blocks the server.
        std::thread::spawn(move || read_lines(stderr, &lines));
        Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    async fn wait_until_healthy(&self) {
        let health = format!("{}/health", self.address);
        eventually("the instance answers /health", || async {
            let response = reqwest::get(&health).await.ok()?;
            (response.status() == StatusCode::OK).then_some(())
        })
        .await;
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn read_lines(from: impl Read, into: &Mutex<Vec<String>>) {
    for line in BufReader::new(from).split(b'\n') {
        let Ok(line) = line else { return };
        into.lock()
            .unwrap()
            .push(String::from_utf8_lossy(&line).into_owned());
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The load balancer: it sends each request to the next instance in service, and takes the
/// victim out of service just before it is killed.
struct Balancer {
    client: reqwest::Client,
    survivor: String,
    victim: String,
    victim_in_service: AtomicBool,
    turn: AtomicUsize,
    victim_answers: AtomicUsize,
    /// Requests the kill left without an answer.
    cut: AtomicUsize,
}

/// A request that got no answer because its instance was killed: it may or may not have
/// taken effect.
struct Cut;

impl Balancer {
    fn new(survivor: &str, victim: &str) -> Self {
        Self {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
            survivor: survivor.to_owned(),
            victim: victim.to_owned(),
            victim_in_service: AtomicBool::new(true),
            turn: AtomicUsize::new(0),
            victim_answers: AtomicUsize::new(0),
            cut: AtomicUsize::new(0),
        }
    }

    /// Sends the request to the next instance and reads the whole answer.
    async fn send(
        &self,
        request: impl Fn(&reqwest::Client, &str) -> RequestBuilder,
    ) -> Result<(StatusCode, Value), Cut> {
        let to_victim = self.victim_in_service.load(Ordering::SeqCst)
            && self.turn.fetch_add(1, Ordering::SeqCst) % 2 == 1;
        let address = if to_victim {
            &self.victim
        } else {
            &self.survivor
        };
        let answer = async {
            let response = request(&self.client, address).send().await?;
            let status = response.status();
            Ok::<_, reqwest::Error>((status, response.bytes().await?))
        }
        .await;
        match answer {
            Ok((status, body)) => {
                if to_victim {
                    self.victim_answers.fetch_add(1, Ordering::SeqCst);
                }
                let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
                Ok((status, body))
            }
            Err(error) => {
                assert!(
                    to_victim && !self.victim_in_service.load(Ordering::SeqCst),
                    "only the killed instance may leave a request unanswered: {error}"
                );
                self.cut.fetch_add(1, Ordering::SeqCst);
                Err(Cut)
            }
        }
    }

    /// `send`, and once more if the kill cut it off (the retry goes to the survivor, the
    /// victim being out of service by then); whether it was retried.
    async fn send_again_if_cut(
        &self,
        request: impl Fn(&reqwest::Client, &str) -> RequestBuilder,
    ) -> (StatusCode, Value, bool) {
        match self.send(&request).await {
            Ok((status, body)) => (status, body, false),
            Err(Cut) => match self.send(&request).await {
                Ok((status, body)) => (status, body, true),
                Err(Cut) => panic!("a retry went to the killed instance"),
            },
        }
    }
}

/// What the answers a user got promise: each is in the database.
#[derive(Debug, Default)]
struct Journey {
    /// The id a 201 answered for the registration.
    registered: Option<Uuid>,
    /// The tasks a 201 answered for: project, number, name.
    tasks: Vec<(Uuid, i64, String)>,
}

/// One user's requests, one after another: registration, log-in, the project list until the
/// starter project shows, then task additions to it.
async fn journey(balancer: &Balancer, user: usize) -> Journey {
    let email = format!("user{user}@example.com");
    let mut journey = Journey::default();
    let registration = json!({"email": email, "password": PASSWORD});
    let (status, body, retried) = balancer
        .send_again_if_cut(|client, address| {
            client
                .post(format!("{address}/api/users"))
                .json(&registration)
        })
        .await;
    match status {
        StatusCode::CREATED => journey.registered = Some(uuid(&body["id"])),
        // The registration the kill cut off had committed.
        StatusCode::CONFLICT if retried => assert_eq!(body["code"], "email_taken", "{body}"),
        other => panic!("registering {email}: {other} {body}"),
    }

    let log_in = [("username", email.as_str()), ("password", PASSWORD)];
    let (status, body, _) = balancer
        .send_again_if_cut(|client, address| {
            client
                .post(format!("{address}/api/auth/token"))
                .form(&log_in)
        })
        .await;
    assert_eq!(status, StatusCode::OK, "logging in {email}: {body}");
    let token = body["access_token"].as_str().unwrap().to_owned();

    // At once, unless the kill interrupted the delivery of the user's registration: then
    // once the victim's claim has run out and the survivor has delivered it.
    let project = eventually(&format!("{email} sees a starter project"), || async {
        let (status, body, _) = balancer
            .send_again_if_cut(|client, address| {
                client
                    .get(format!("{address}/api/projects"))
                    .bearer_auth(&token)
            })
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["projects"][0].get("id").map(uuid)
    })
    .await;

    for task in 0..TASKS_PER_USER {
        let name = format!("task {task} of user {user}");
        let addition = json!({"name": name});
        // Not sent again when cut off: it may have committed, and a second one would add a
        // second task.
        let Ok((status, body)) = balancer
            .send(|client, address| {
                client
                    .post(format!("{address}/api/projects/{project}/tasks"))
                    .bearer_auth(&token)
                    .json(&addition)
            })
            .await
        else {
            continue;
        };
        assert_eq!(status, StatusCode::CREATED, "adding {name}: {body}");
        journey
            .tasks
            .push((project, body["number"].as_i64().unwrap(), name));
    }
    journey
}

/// Waits until the victim has answered its share, then kills it while one of its handlers is
/// half-way through an event; the number of events left pending under a claim right after.
async fn kill_in_the_middle(
    balancer: &Balancer,
    victim: &mut Instance,
    connection: &DatabaseConnection,
) -> i64 {
    eventually("the victim has answered its share", || async {
        (balancer.victim_answers.load(Ordering::SeqCst) >= VICTIM_ANSWERS_BEFORE_THE_KILL)
            .then_some(())
    })
    .await;
    let hold = connection.begin().await.unwrap();
    hold.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({HOLD})"))
        .await
        .unwrap();
    let blocked = format!(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND application_name = '{VICTIM}' AND wait_event_type = 'Lock' \
         AND wait_event = 'advisory'"
    );
    eventually(
        "one of the victim's handlers waits to record an event",
        || async { (count(connection, &blocked).await > 0).then_some(()) },
    )
    .await;

    balancer.victim_in_service.store(false, Ordering::SeqCst);
    victim.child.kill().unwrap();
    victim.child.wait().unwrap();
    // The victim's blocked connections go on, find their client gone, and roll back.
    hold.commit().await.unwrap();

    count(
        connection,
        "SELECT COUNT(*) FROM event_outbox WHERE status = 'pending' AND claimed_by IS NOT NULL",
    )
    .await
}

/// Everything the two instances left in the database that this test looks at.
struct Stored {
    users: Vec<Uuid>,
    events: Vec<StoredEvent>,
    inbox: BTreeSet<(String, Uuid)>,
    /// Id, owner, name.
    projects: Vec<(Uuid, Uuid, String)>,
    /// Project, number, name.
    tasks: Vec<(Uuid, i64, String)>,
    /// Id, project, type.
    activity_entries: Vec<(Uuid, Uuid, String)>,
    /// The instance that committed each inbox row: handler, event, `application_name`.
    inbox_writers: Vec<(String, Uuid, String)>,
}

#[derive(Debug)]
struct StoredEvent {
    event_id: Uuid,
    event_type: String,
    aggregate_id: Uuid,
    payload: Value,
}

impl Stored {
    async fn read(connection: &DatabaseConnection) -> Self {
        let rows = |sql: &'static str| query(connection, sql, vec![]);
        Self {
            users: rows("SELECT id FROM accounts_users")
                .await
                .iter()
                .map(|row| id(row, "id"))
                .collect(),
            events: rows(
                "SELECT event_id, event_type, aggregate_id, payload FROM event_outbox \
                 ORDER BY sequence",
            )
            .await
            .iter()
            .map(|row| StoredEvent {
                event_id: id(row, "event_id"),
                event_type: text(row, "event_type"),
                aggregate_id: id(row, "aggregate_id"),
                payload: serde_json::from_str(&text(row, "payload")).unwrap(),
            })
            .collect(),
            inbox: rows("SELECT handler, event_id FROM event_inbox")
                .await
                .iter()
                .map(|row| (text(row, "handler"), id(row, "event_id")))
                .collect(),
            projects: rows("SELECT id, owner_id, name FROM projects_projects")
                .await
                .iter()
                .map(|row| (id(row, "id"), id(row, "owner_id"), text(row, "name")))
                .collect(),
            tasks: rows("SELECT project_id, number, name FROM projects_tasks")
                .await
                .iter()
                .map(|row| {
                    let number: i32 = row.try_get("", "number").unwrap();
                    (id(row, "project_id"), i64::from(number), text(row, "name"))
                })
                .collect(),
            activity_entries: rows("SELECT id, project_id, event_type FROM activity_entries")
                .await
                .iter()
                .map(|row| {
                    (
                        id(row, "id"),
                        id(row, "project_id"),
                        text(row, "event_type"),
                    )
                })
                .collect(),
            inbox_writers: rows("SELECT handler, event_id, instance FROM inbox_writers")
                .await
                .iter()
                .map(|row| {
                    (
                        text(row, "handler"),
                        id(row, "event_id"),
                        text(row, "instance"),
                    )
                })
                .collect(),
        }
    }

    fn events_of_type<'a>(&'a self, event_type: &'a str) -> impl Iterator<Item = &'a StoredEvent> {
        self.events
            .iter()
            .filter(move |event| event.event_type == event_type)
    }
}

fn id(row: &QueryResult, column: &str) -> Uuid {
    row.try_get("", column).unwrap()
}

fn text(row: &QueryResult, column: &str) -> String {
    row.try_get("", column).unwrap()
}

fn optional_text(row: &QueryResult, column: &str) -> Option<String> {
    row.try_get("", column).unwrap()
}

fn uuid(value: &Value) -> Uuid {
    Uuid::parse_str(value.as_str().unwrap()).unwrap()
}

/// Every 201 promised something that is there: a request answered by either instance, even
/// the one killed later, has committed.
fn assert_every_answer_is_kept(journeys: &[Journey], stored: &Stored) {
    let users: BTreeSet<Uuid> = stored.users.iter().copied().collect();
    let tasks: BTreeSet<&(Uuid, i64, String)> = stored.tasks.iter().collect();
    for journey in journeys {
        if let Some(user) = journey.registered {
            assert!(
                users.contains(&user),
                "the registered user {user} is stored"
            );
        }
        for task in &journey.tasks {
            assert!(tasks.contains(task), "the added task {task:?} is stored");
        }
    }
    assert!(
        journeys
            .iter()
            .filter(|journey| journey.registered.is_some())
            .count()
            > USERS / 2,
        "most registrations were answered"
    );
}

/// No change committed without its event, and no event without its change: one
/// `UserAccountCreated` per user, one `ProjectCreated` per project, one `TaskAdded` per
/// task, whichever instance wrote them and whether or not the kill cut their request off.
fn assert_the_events_tell_what_was_stored(stored: &Stored) {
    let aggregates = |event_type| -> Vec<Uuid> {
        sorted(
            stored
                .events_of_type(event_type)
                .map(|event| event.aggregate_id),
        )
    };
    assert_eq!(
        aggregates("accounts.UserAccountCreated"),
        sorted(stored.users.iter().copied()),
        "one UserAccountCreated per stored user"
    );
    assert_eq!(
        aggregates("projects.ProjectCreated"),
        sorted(stored.projects.iter().map(|(project, _, _)| *project)),
        "one ProjectCreated per stored project"
    );
    assert_eq!(
        sorted(stored.events_of_type("projects.TaskAdded").map(|event| (
            event.aggregate_id,
            event.payload["number"].as_i64().unwrap()
        ))),
        sorted(
            stored
                .tasks
                .iter()
                .map(|(project, number, _)| (*project, *number))
        ),
        "one TaskAdded per stored task"
    );
}

fn sorted<T: Ord>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut items: Vec<T> = items.collect();
    items.sort_unstable();
    items
}

/// A handler of an event type, as docs/events.md lists it.
#[derive(Debug)]
struct DocumentedHandler {
    name: String,
    /// Every handler records the events it processed in `event_inbox`, except one the table
    /// says has "no inbox".
    keeps_an_inbox: bool,
}

/// The handlers of each event type, read from the table of event types in docs/events.md
/// (its `type` and `Handlers` columns), so that the handlers this test expects are the ones
/// documented, and the test fails when the code and the table part.
fn documented_handlers() -> BTreeMap<String, Vec<DocumentedHandler>> {
    const EVENTS_MD: &str = include_str!("../../../../docs/events.md");
    let cells = |row: &str| -> Vec<String> {
        row.trim()
            .trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_owned())
            .collect()
    };
    let mut lines = EVENTS_MD
        .lines()
        .skip_while(|line| !(line.starts_with("| `type` |") && line.contains("| Handlers |")));
    let header = cells(
        lines
            .next()
            .expect("docs/events.md has a table of event types"),
    );
    let handlers_column = header
        .iter()
        .position(|cell| cell == "Handlers")
        .expect("the header names a Handlers column");
    let table: BTreeMap<String, Vec<DocumentedHandler>> = lines
        .skip(1) // the header's separator row
        .take_while(|line| line.starts_with('|'))
        .map(|row| {
            let cells = cells(row);
            let event_type = cells[0].trim_matches('`').to_owned();
            (event_type, parse_handlers(&cells[handlers_column]))
        })
        .collect();
    assert!(
        table.contains_key("accounts.UserAccountCreated"),
        "the table of event types was read: {table:?}"
    );
    table
}

/// The handler names in a `Handlers` cell ("`a.B`, then `c.D`", or "none"), each with what
/// the cell says after it up to the next name.
fn parse_handlers(cell: &str) -> Vec<DocumentedHandler> {
    let is_handler_name = |code: &str| {
        code.split_once('.').is_some_and(|(context, name)| {
            !context.is_empty()
                && context.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        })
    };
    // Between backticks, the odd pieces are code.
    let pieces: Vec<&str> = cell.split('`').collect();
    let mut handlers = Vec::new();
    for (index, code) in pieces.iter().enumerate().skip(1).step_by(2) {
        if is_handler_name(code) {
            let said_after = pieces.get(index + 1).copied().unwrap_or("");
            handlers.push(DocumentedHandler {
                name: (*code).to_owned(),
                keeps_an_inbox: !said_after.contains("no inbox"),
            });
        }
    }
    handlers
}

/// What one set has that the other lacks, as a readable list; empty when they are equal.
fn describe_differences(
    expected: &BTreeSet<(String, Uuid)>,
    actual: &BTreeSet<(String, Uuid)>,
) -> String {
    let missing: Vec<_> = expected.difference(actual).collect();
    let unexpected: Vec<_> = actual.difference(expected).collect();
    if missing.is_empty() && unexpected.is_empty() {
        String::new()
    } else {
        format!("missing: {missing:#?}\nunexpected: {unexpected:#?}")
    }
}

/// `projects.CreateStarterProject`: one project per new user, the starter project, and no
/// other (this test creates none). A handler run twice would make two.
fn assert_one_starter_project_each(events: &[&StoredEvent], stored: &Stored) {
    let mut projects_of: BTreeMap<Uuid, Vec<&str>> = BTreeMap::new();
    for (_, owner, name) in &stored.projects {
        projects_of.entry(*owner).or_default().push(name);
    }
    let new_users: BTreeSet<Uuid> = events
        .iter()
        .map(|event| uuid(&event.payload["userId"]))
        .collect();
    assert_eq!(new_users.len(), events.len(), "one event per new user");
    for user in &new_users {
        assert_eq!(
            projects_of.get(user).map(Vec::as_slice),
            Some([STARTER_PROJECT].as_slice()),
            "{user} has exactly one project, the starter project"
        );
    }
    let owners: BTreeSet<Uuid> = projects_of.keys().copied().collect();
    assert_eq!(owners, new_users, "every project belongs to a new user");
}

/// `activity.RecordActivity`: one entry per projects event, with the event's id, in its
/// project, of its type, and no entry for anything else. A second run of the handler would
/// find the entry's key taken and fail, so that its event would never be delivered.
fn assert_one_activity_entry_each(events: &[&StoredEvent], stored: &Stored) {
    let mut entries: BTreeMap<Uuid, Vec<(Uuid, &str)>> = BTreeMap::new();
    for (entry, project, entry_type) in &stored.activity_entries {
        entries
            .entry(*entry)
            .or_default()
            .push((*project, entry_type));
    }
    for event in events {
        let expected_type = snake_case_name(&event.event_type);
        assert_eq!(
            entries.get(&event.event_id).map(Vec::as_slice),
            Some([(event.aggregate_id, expected_type.as_str())].as_slice()),
            "exactly one activity entry for {event:?}"
        );
    }
    assert_eq!(
        stored.activity_entries.len(),
        events.len(),
        "no activity entry but for a projects event"
    );
}

/// `projects.TaskAdded` → `task_added`: how an activity entry names the event it tells of.
fn snake_case_name(event_type: &str) -> String {
    let name = event_type
        .split_once('.')
        .map_or(event_type, |(_, name)| name);
    let mut snake = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && index > 0 {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    snake
}

/// `accounts.SendWelcomeEmail`: the email goes out (`TracingMailer` logs it with the event id
/// as its message id) once from the instance whose handler committed, and never again from
/// the other, except from the victim when it died before its handler's transaction
/// committed: then the survivor sends it again, with the same message id, the window
/// docs/events.md describes. A handler that ran twice would send it twice.
async fn assert_one_welcome_email_each(
    events: &[&StoredEvent],
    stored: &Stored,
    survivor: &Instance,
    victim: &Instance,
) {
    let sent = |log: &[String], event: Uuid| {
        let event = event.to_string();
        log.iter()
            .filter(|line| line.contains("welcome email sent") && line.contains(&event))
            .count()
    };
    // The survivor's log is read as it comes: its last lines may still be on the way.
    let (survivor_log, victim_log) = eventually("every welcome email is in a log", || async {
        let logs = (survivor.log(), victim.log());
        events
            .iter()
            .all(|event| sent(&logs.0, event.event_id) + sent(&logs.1, event.event_id) > 0)
            .then_some(logs)
    })
    .await;
    for event in events {
        let committed_by: Vec<&str> = stored
            .inbox_writers
            .iter()
            .filter(|(handler, id, _)| {
                handler == "accounts.SendWelcomeEmail" && *id == event.event_id
            })
            .map(|(_, _, instance)| instance.as_str())
            .collect();
        let sent = (
            sent(&survivor_log, event.event_id),
            sent(&victim_log, event.event_id),
        );
        let allowed: &[(usize, usize)] = match committed_by.as_slice() {
            [VICTIM] => &[(0, 1)],
            // The victim may have sent it and died before it committed.
            [SURVIVOR] => &[(1, 0), (1, 1)],
            other => panic!(
                "one instance committed {}'s inbox row, not {other:?}",
                event.event_id
            ),
        };
        assert!(
            allowed.contains(&sent),
            "welcome emails of {} sent by the survivor and the victim: {sent:?}; committed by \
             {committed_by:?}",
            event.event_id
        );
    }
}
