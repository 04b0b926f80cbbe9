// The commented config `anomaly-guard init` writes: every key with its default and meaning.

/** The text of a fresh config file (YAML); a test proves it parses to the defaults. */
export const INIT_TEMPLATE = `# anomaly-guard config. Every key is shown with its default; delete what you do not change.
# Durations: "250ms", "10s", "5m", "1h" or a number of seconds. Relative paths are relative to this file's folder.

# profile decides how a finding becomes a restart. safe (the default): a failure or a slow answer is re-probed
# before it counts, CPU is measured over the whole interval, host-wide CPU / memory only alert (the busy
# neighbour is not this service's fault), a heal that does not help backs off, then stops and alerts.
# seed: the seed's table read literally, one sample deciding. The keys marked (profile) below are commented
# out: they take the profile's default, shown as "safe / seed"; set one to override it.
profile: safe

interval: 5m                  # how often the daemon runs a cycle (start to start)
schedule: ""                  # a cron expression instead of interval, e.g. "*/5 * * * *"; "" = use interval
cycle_timeout: 60s            # a cycle (probe + sample + heal) past this is aborted and logged
max_concurrent_probes: 256    # run only: probes in flight at once over every target; more wait for a slot (lat.queued_ms); re-probes and failing targets take at most half
log_file: logs/anomaly_guard.ndjson
scheduler_log: logs/scheduler.log

health:
  url: http://127.0.0.1:8080/health  # http(s)://, or tcp://host:port, tls://host:port
  timeout: 10s
  expect_status: Healthy      # the JSON body's "status" field must equal this (when conditions is [])
  conditions: []              # Gatus syntax, all must hold, e.g. ["[STATUS] == 200", "[BODY].health == true"];
                              # [] = the seed's: 2xx and "[BODY].status == <expect_status>" (tcp/tls: connected)
  send: ""                    # tcp:// and tls:// only: text written after connecting, e.g. "PING\\r\\n"; never shown
  expect: ""                  # tcp:// and tls:// only: text the reply must contain, e.g. "+PONG"
  headers: {}                 # sent with the probe, e.g. {Authorization: "Bearer ..."}; values never appear in logs
  ca_file: ""                 # extra CA certificate (PEM) to trust for an https URL; "" = system CAs only
  # confirm: 2                # (profile) 2 / 0: quick re-probes before declaring unhealthy (all must fail); 0 = the first failure counts
  confirm_spacing: 1s         # wait between those re-probes
  keep_alive: false           # run only: true = reuse connections (one shared pool); false = a new connection per probe, as check

latency:
  window: 50                  # rolling samples (ok checks in the log)
  sigma: 3                    # anomaly when z-score > sigma
  min_samples: 10             # no score until the window holds this many
  min_stdev_ms: 0.5           # the stdev used for the score is at least this (a flat baseline)
  detector: zscore            # the latency detector: zscore = the seed's rule above; anomaly-guard score --list-detectors lists the others
  confirm: 1                  # act on a latency finding only when it was found in "confirm" ...
  confirm_of: 1               # ... of the last "confirm_of" cycles (this one included); 1 of 1 = at once
  # confirm_probes: 2         # (profile) 2 / 0: quick re-probes that must be slow too before an anomaly counts (confirm_spacing apart)
  # learn: normal             # (profile) normal / all: normal keeps anomalous latencies and those of a cycle with a heal finding out of the baseline
  # on_busy_host: alert       # (profile) alert / heal: a latency finding while the host's CPU or memory is past its threshold only alerts

resources:
  procfs: /proc               # read /proc/stat, /proc/meminfo here
  disk_path: /                # statfs of this path
  cpu_sample: 1s              # CPU busy share measured over this span (when there is no recent previous check)
  # cpu_over: interval        # (profile) interval / sample: CPU over the span since the previous check, or always over cpu_sample
  cpu_critical: 90            # percent
  mem_critical: 90            # percent
  disk_warning: 90            # percent
  cgroup: ""                  # cgroup v2 folder (e.g. /sys/fs/cgroup): mem from memory.current / memory.max when a limit is set; "" = host /proc/meminfo
  # confirm: 2                # (profile) 2 / 1: act on a cpu / mem / disk finding only when found in "confirm" ...
  # confirm_of: 3             # (profile) 3 / 1: ... of the last "confirm_of" cycles; 1 of 1 = at once
  service:                    # the service's own CPU and memory decide cpu / mem findings (a restart under safe); set one:
    unit: ""                  # a systemd unit, e.g. nginx.service (its cgroup under /sys/fs/cgroup)
    cgroup: ""                # a cgroup v2 folder, e.g. /sys/fs/cgroup/system.slice/nginx.service
    pid_file: ""              # a pid file, e.g. /run/nginx.pid: that process and its descendants

actions:                      # what each finding does: heal | alert | log
  unhealthy: heal
  latency: heal
  # cpu: alert                # (profile) alert / heal: host-wide CPU (heal under safe too with resources.service set); heal the host's only where it runs just this service
  # mem: alert                # (profile) alert / heal: memory, the same
  disk: alert

heal:
  command: []                 # argv, run without a shell, e.g. [python3, scripts/self_heal.py]; [] = none
  # timeout: 30s              # (profile) 30s / 60s: then SIGTERM to its process group, SIGKILL after kill_grace (always within cycle_timeout)
  kill_grace: 5s              # at most 5s
  cooldown: 0s                # no heal within this span after the last one
  max_per_hour: 6             # more are suppressed (restart-storm guard)
  verify_after: 10s           # re-probe this long after a heal; 0s = do not verify
  # grace: 30s                # (profile) 30s / 0s: findings within this span after a heal do not count (the service is starting)
  # backoff: true             # (profile) true / false: repeated heals of one incident wait 1, 2, 4 ... cycles between them
  backoff_max: 8              # the longest wait, in cycles
  backoff_reset: 30m          # an incident ends after this long without a trigger (the backoff starts over)
  # stop_when_exhausted: true # (profile) true / false: once max_per_hour is spent, stop healing and alert until healthy for resume_after (or anomaly-guard heal-reset)
  resume_after: 30m

alert:
  command: []                 # argv; gets the record as JSON on stdin
  webhook: ""                 # POSTs the record as JSON (with a "text" field for Slack-style webhooks)
  timeout: 10s                # per alert delivery
  repeat: 1h                  # the same alert again at most this often while it lasts; 0s = every cycle
  alertmanager:
    url: ""                   # Prometheus Alertmanager, e.g. http://127.0.0.1:9093: findings are pushed as alerts (POST /api/v2/alerts); "" = none
    timeout: 10s              # per push
    instance: ""              # the alerts' instance label; "" = the health URL's host:port (a loopback host: this host's name)

heartbeat:
  url: ""                     # GET after every completed cycle (a dead-man's switch, e.g. Healthchecks.io); "" = none
  timeout: 10s

http:                         # the daemon's HTTP server: dashboard, JSON API, Prometheus /metrics, /healthz
  listen: ""                  # e.g. 127.0.0.1:9102, [::1]:9102, or :9102 for every interface; "" = off
  token: ""                   # bearer token every route but /healthz requires; needed when listen is not loopback
  allowed_hosts: []           # names (Host) it answers besides its IP addresses and localhost, e.g. [guard.example.com];
                              # [] = only those on a loopback listen, any name elsewhere; [*] = any name

# Many services in one guard: each target overrides the sections above (its defaults) with its own keys
# (name, interval, schedule, health, latency, actions, heal, alert, resources) and logs to its own file
# beside log_file (logs/anomaly_guard.<name>.ndjson). [] = one target: the sections above, as written.
targets: []
#  - name: api
#    interval: 30s
#    health: {url: "http://127.0.0.1:8080/health"}
#    heal: {command: [systemctl, restart, api.service]}
#    resources: {service: {unit: api.service}}
include: []                   # files of targets, e.g. [targets.d] or [targets.d/*.yaml]: one target or a list each
`;
