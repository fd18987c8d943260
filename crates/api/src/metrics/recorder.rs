use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Histogram buckets of every `*_seconds` metric: from a fast read (1 ms) to a request that
/// waited out its queue and the database (10 s).
const SECONDS_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often the recorder folds the histograms' recent samples into their buckets, whether
/// anyone scrapes or not: samples wait in a buffer until then.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder (the first call does; a process has one, however many
/// servers it builds, as the tests do) and returns its handle; `None` if another recorder was
/// installed first. Call it before the first metric is registered: a metric's handle taken
/// earlier records nowhere.
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS_BUCKETS)
                .ok()?
                .install_recorder()
                .ok()?;
            let upkeep = handle.clone();
            // A thread of its own: the recorder outlives any one runtime (tests start many).
            let _ = std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(UPKEEP_INTERVAL);
                        upkeep.run_upkeep();
                    }
                });
            Some(handle)
        })
        .as_ref()
}
