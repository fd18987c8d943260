//! Volume data: many users with many projects and tasks, deterministic for a seed, written
//! in large batches through the infrastructure's bulk writers.
//!
//! Every aggregate is built through the domain (so every rule holds: numbers, counters,
//! maxima, archived projects fully done) and only the writing skips the Units of Work. No
//! events are written: bulk data is a snapshot, not history. The activity context's record of
//! each project and task is written beside them (what it would have learned from their
//! events), so that the next change to a seeded project gets its entry; the history itself
//! starts empty.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use accounts_domain::{Password, PasswordHash, User};
use accounts_infrastructure::{BcryptPasswordHasher, insert_users};
use activity_domain::{TrackedProject, TrackedTask};
use activity_infrastructure::insert_records;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use platform_database::begin_write;
use projects_application::starter_project::starter_project;
use projects_domain::{
    DueAt, IncompleteTaskLimit, Labels, Project, ProjectId, ProjectName, TaskDescription,
    TaskDetails, TaskName, TaskPriority,
};
use projects_infrastructure::insert_projects;
use sea_orm::DatabaseConnection;
use shared_kernel_domain::{EmailAddress, UserId};
use uuid::Uuid;

use super::progress::Progress;
use super::random::SplitMix64;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// The password of every volume user.
pub const VOLUME_PASSWORD: &str = "password";

/// The address of volume user `n` (from 1).
pub fn volume_email(n: u64) -> String {
    format!("user{n}@example.com")
}

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VolumePlan {
    pub users: u64,
    /// Besides the starter project every user has.
    pub projects_per_user: u64,
    pub tasks_per_project: u64,
    /// The share of tasks that are done, from 0 to 1.
    pub completed_ratio: f64,
    pub rng_seed: u64,
    /// The due dates are spread over 60 days either side of this (the seed's day), so that
    /// some tasks are overdue and some are due soon, whenever the data is made.
    pub due_around: DateTime<Utc>,
}

impl VolumePlan {
    /// Midnight (UTC) today: where a seed run spreads its due dates around.
    pub fn today() -> DateTime<Utc> {
        let now = Utc::now();
        now.duration_trunc(TimeDelta::days(1)).unwrap_or(now)
    }

    /// Users, projects and tasks: every row the plan writes.
    pub fn rows(&self) -> u64 {
        let per_user = 1
            + (1 + self.projects_per_user)
            + self.projects_per_user * self.tasks_per_project
            + STARTER_TASK_COUNT;
        self.users * per_user
    }

    /// Enough users per batch for about 50,000 rows: large transactions, bounded memory.
    fn users_per_batch(&self) -> u64 {
        (50_000 / (self.rows() / self.users.max(1)).max(1)).clamp(1, self.users.max(1))
    }
}

const STARTER_TASK_COUNT: u64 = 3;

#[derive(Debug)]
pub struct VolumeReport {
    pub users: u64,
    pub projects: u64,
    pub tasks: u64,
    pub elapsed: Duration,
    /// Ctrl-C stopped the seed after the last whole batch.
    pub interrupted: bool,
}

impl VolumeReport {
    pub fn rows(&self) -> u64 {
        self.users + self.projects + self.tasks
    }
}

/// One batch of generated data, ready to write.
#[derive(Default)]
struct Batch {
    users: Vec<User>,
    projects: Vec<Project>,
    tasks: u64,
    /// What the activity context would know of the projects and their tasks.
    tracked: Vec<TrackedProject>,
    tracked_tasks: Vec<(ProjectId, TrackedTask)>,
}

impl Batch {
    fn add_project(&mut self, project: Project) {
        self.tasks += u64::from(project.task_count());
        self.tracked.push(TrackedProject::restore(
            project.id(),
            project.owner(),
            Some(project.name().to_string()),
            project.incomplete_task_limit().map(|limit| limit.get()),
            project.deleted_at(),
            None,
        ));
        self.tracked_tasks
            .extend(project.loaded_tasks().iter().map(|task| {
                let tracked = TrackedTask {
                    number: task.number(),
                    name: Some(task.name().to_string()),
                };
                (project.id(), tracked)
            }));
        self.projects.push(project);
    }
}

/// Writes `plan` into `database`. Each batch is one transaction, so stopping (Ctrl-C sets
/// `stop`) leaves whole batches only. Generating the next batch overlaps with writing the
/// current one.
pub async fn seed_volume(
    database: &DatabaseConnection,
    hasher: &BcryptPasswordHasher,
    plan: VolumePlan,
    stop: Arc<AtomicBool>,
) -> Result<VolumeReport, AnyError> {
    let started = Instant::now();
    let mut salt = SplitMix64::new(plan.rng_seed);
    // One hash for every user: volume is about rows, not about bcrypt.
    let hash = hasher
        .hash_with_salt(&Password::new(VOLUME_PASSWORD)?, salt.bytes())
        .await?;
    let mut progress = Progress::new(plan.rows());
    let mut report = VolumeReport {
        users: 0,
        projects: 0,
        tasks: 0,
        elapsed: Duration::ZERO,
        interrupted: false,
    };

    let batch_size = plan.users_per_batch();
    let batch_starts: Vec<u64> = (0..plan.users)
        .step_by(batch_size.max(1) as usize)
        .collect();
    let generate = |start: u64| {
        let hash = hash.clone();
        let end = (start + batch_size).min(plan.users);
        tokio::task::spawn_blocking(move || generate_batch(&plan, start..end, &hash))
    };
    let mut next = batch_starts.first().map(|start| generate(*start));
    for index in 0..batch_starts.len() {
        let Some(pending) = next.take() else { break };
        let batch = pending.await??;
        next = batch_starts.get(index + 1).map(|start| generate(*start));
        if stop.load(Ordering::SeqCst) {
            report.interrupted = true;
            break;
        }
        write_batch(database, &batch).await?;
        let projects = batch.projects.len() as u64;
        let users = batch.users.len() as u64;
        report.users += users;
        report.projects += projects;
        report.tasks += batch.tasks;
        progress.advance(users + projects + batch.tasks);
    }
    progress.finish();
    report.elapsed = started.elapsed();
    Ok(report)
}

async fn write_batch(database: &DatabaseConnection, batch: &Batch) -> Result<(), AnyError> {
    let transaction = begin_write(database).await?;
    insert_users(&transaction, &batch.users).await?;
    insert_projects(&transaction, &batch.projects).await?;
    insert_records(&transaction, &batch.tracked, &batch.tracked_tasks).await?;
    transaction.commit().await?;
    Ok(())
}

/// Jan 1st 2026: volume data lives at a fixed time, so that it is the same on every run.
fn epoch() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

/// A UUIDv7 for `at` with random bits from `rng`: ids sort by creation, as real ones do.
fn uuid_at(at: DateTime<Utc>, rng: &mut SplitMix64) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &rng.bytes()).into_uuid()
}

fn generate_batch(
    plan: &VolumePlan,
    users: std::ops::Range<u64>,
    hash: &PasswordHash,
) -> Result<Batch, AnyError> {
    let mut batch = Batch::default();
    for index in users {
        let mut rng = SplitMix64::for_item(plan.rng_seed, index);
        let registered_at = epoch() + TimeDelta::seconds(i64::try_from(index)?);
        let owner = UserId::from_uuid(uuid_at(registered_at, &mut rng));
        let email = EmailAddress::parse(&volume_email(index + 1))?;
        batch
            .users
            .push(User::register(owner, email, hash.clone(), registered_at));

        let starter_id = ProjectId::from_uuid(uuid_at(registered_at, &mut rng));
        batch.add_project(starter_project(
            starter_id,
            owner,
            registered_at,
            registered_at,
        )?);
        for number in 0..plan.projects_per_user {
            let created_at = registered_at + TimeDelta::minutes(i64::try_from(number + 1)?);
            batch.add_project(generate_project(plan, owner, created_at, &mut rng)?);
        }
    }
    Ok(batch)
}

const ADJECTIVES: [&str; 8] = [
    "Quarterly",
    "Personal",
    "Urgent",
    "Weekend",
    "Team",
    "Garden",
    "Secret",
    "Long-term",
];
const NOUNS: [&str; 8] = [
    "plans",
    "errands",
    "reports",
    "renovation",
    "research",
    "trip",
    "budget",
    "backlog",
];
const VERBS: [&str; 8] = [
    "Write",
    "Review",
    "Buy",
    "Call about",
    "Plan",
    "Fix",
    "Check",
    "Send",
];
const OBJECTS: [&str; 8] = [
    "the invoice",
    "the slides",
    "new tyres",
    "the landlord",
    "the release",
    "the leak",
    "the numbers",
    "the parcel",
];

/// Labels, from a small vocabulary as people's are.
const LABELS: [&str; 6] = ["home", "work", "errand", "waiting", "someday", "q1"];

/// A task's details, as people fill them in: about half with a due date within 60 days of
/// `due_around`, a quarter with a priority, a third with a label or two, one in five with a
/// description.
fn generate_details(plan: &VolumePlan, rng: &mut SplitMix64) -> Result<TaskDetails, AnyError> {
    let due_at = rng.chance(0.5).then(|| {
        let minutes = i64::try_from(rng.below(120 * 24 * 60)).unwrap_or(0) - 60 * 24 * 60;
        DueAt::new(plan.due_around + TimeDelta::minutes(minutes))
    });
    let priority = if rng.chance(0.25) {
        TaskPriority::from_rank(1 + u8::try_from(rng.below(4))?).unwrap_or_default()
    } else {
        TaskPriority::None
    };
    let mut labels = Vec::new();
    if rng.chance(0.33) {
        labels.push(rng.pick(&LABELS));
        if rng.chance(0.3) {
            labels.push(rng.pick(&LABELS));
        }
    }
    let description = rng
        .chance(0.2)
        .then(|| {
            TaskDescription::parse(&format!(
                "{} first, then {}",
                rng.pick(&VERBS),
                rng.pick(&OBJECTS)
            ))
        })
        .transpose()?;
    Ok(TaskDetails {
        description,
        due_at,
        priority,
        labels: Labels::parse(&labels)?,
    })
}

/// One project: tasks done at `completed_ratio`; one in ten archived (all its tasks done
/// first, as the rule demands); one in four with a maximum of incomplete tasks a little above
/// its count.
fn generate_project(
    plan: &VolumePlan,
    owner: UserId,
    created_at: DateTime<Utc>,
    rng: &mut SplitMix64,
) -> Result<Project, AnyError> {
    let id = ProjectId::from_uuid(uuid_at(created_at, rng));
    let name = ProjectName::parse(&format!("{} {}", rng.pick(&ADJECTIVES), rng.pick(&NOUNS)))?;
    let mut project = Project::create(id, owner, name.clone(), None, created_at);
    let done_at = created_at + TimeDelta::hours(1);
    for n in 0..plan.tasks_per_project {
        let added_at = created_at + TimeDelta::seconds(i64::try_from(n)?);
        let task = TaskName::parse(&format!("{} {}", rng.pick(&VERBS), rng.pick(&OBJECTS)))?;
        let details = generate_details(plan, rng)?;
        let number = project.add_task(task, details, added_at)?.number();
        if rng.chance(plan.completed_ratio) {
            project.complete_task(number, done_at)?;
        }
    }
    if rng.chance(0.1) {
        let open: Vec<_> = project
            .loaded_tasks()
            .iter()
            .filter(|t| !t.is_completed())
            .map(|t| t.number())
            .collect();
        for number in open {
            project.complete_task(number, done_at)?;
        }
        project.archive(done_at)?;
    } else if rng.chance(0.25) {
        let incomplete = i64::from(project.incomplete_task_count());
        let max = incomplete + i64::try_from(rng.below(5))?;
        if let Ok(limit) = IncompleteTaskLimit::new(max.max(1)) {
            project.update(name, Some(limit), created_at)?;
        }
    }
    Ok(project)
}
