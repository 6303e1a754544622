// Domain types shared by the services and the renderer. Plain data only:
// everything here crosses IPC or a WebSocket as JSON.

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
/** Text in every supported locale. */
export type Localized = Record<Locale, string>;

// ---- Lessons -------------------------------------------------------------

/** A problem found while loading a lesson: always names a file and a line. */
export interface LessonProblem {
  file: string;
  line: number;
  column?: number;
  message: string;
}

export interface LessonSummary {
  id: string;
  order: number;
  title: Localized;
  summary: Localized;
  images: string[];
  stepCount: number;
  checkpointCount: number;
  /** 'builtin' for the shipped course, 'extra' for a folder given with --lessons. */
  source: 'builtin' | 'extra';
  /** The part of the course Home lists it under (`part:`, core when absent). */
  part: LessonPart;
}

export interface CheckpointInfo {
  id: string;
  stepId: string;
  title: Localized;
  /** A live condition may turn back to failed; others stay passed for the session. */
  live: boolean;
  /** 'quiz' for a quiz answered correctly; 'lab' for everything checked against the lab. */
  kind: 'lab' | 'quiz';
}

/** The terminal a solution command runs in: the host shell, the Docker host view, or a container. */
export const HOST_TERMINAL = 'host';
export const DOCKER_HOST_TERMINAL = 'docker-host';

export interface SolutionCommand {
  /** 'host', 'docker-host', or a container name. */
  terminal: string;
  command: string;
}

/** A multiple-choice question. Which choice is right stays on the main side until answered. */
export interface QuizInfo {
  id: string;
  stepId: string;
  question: Localized;
  choices: Localized[];
}

export interface QuizAnswer {
  correct: boolean;
  /** Why this choice is right or wrong. */
  explanation: Localized;
}

export interface LessonStep {
  id: string;
  /** What the engine must offer for this step (the lesson's needs and the step's own); absent: nothing. */
  requires?: LessonNeed[];
  title: Localized;
  /** Markdown source of the step's text, per locale (rendered and sanitized by the renderer). */
  body: Localized;
  hints: Localized[];
  /** Commands that solve the step, in order, each with the terminal it runs in. */
  solution: SolutionCommand[];
  /** Includes the step's quizzes (each quiz is also a checkpoint with the same id). */
  checkpointIds: string[];
}

export interface Lesson {
  id: string;
  order: number;
  title: Localized;
  summary: Localized;
  /** Markdown shown before the first step. */
  intro: Localized;
  images: string[];
  /** What the engine must offer for the whole lesson (each step may add its own); absent: nothing. */
  requires?: LessonNeed[];
  /** Container and network names the lab uses (for pre-clean and conflict checks). */
  names: { containers: string[]; networks: string[] };
  /** Commands the app runs in a fresh lab before the learner starts (`setup:`); absent: none. */
  setup?: SolutionCommand[];
  /** Which part of the course the lesson belongs to (`part:`); absent: core. */
  part?: LessonPart;
  steps: LessonStep[];
  checkpoints: CheckpointInfo[];
  quizzes: QuizInfo[];
  source: 'builtin' | 'extra';
  /** A hash of the whole lesson as loaded; a Run names it, so a lesson changed on disk since it was shown runs nothing. */
  fingerprint: string;
}

/** The parts of the course, in the order Home shows them. */
export const LESSON_PARTS = ['core', 'beyond', 'challenges'] as const;
export type LessonPart = (typeof LESSON_PARTS)[number];

/**
 * A lesson's setup in the open lab. done: it ran now; present: the lab already holds what it
 * makes (reset the lab for a fresh start); needs-consent: an instructor's lesson runs nothing
 * until allowed; failed: a command failed (nothing was removed); none: the lesson has no setup.
 */
export interface LabSetupResult {
  state: 'none' | 'done' | 'present' | 'needs-consent' | 'failed';
  /** For failed: the command and what the CLI or the engine said. */
  failed?: { command: string; message: string };
  /** For present: the lab's objects that setup makes, already there. */
  present?: string[];
}

// ---- Checkpoints -----------------------------------------------------------

/**
 * pending: not evaluated yet (or paused); failed: evaluated and not satisfied;
 * unavailable: its step needs what this engine lacks (never evaluated, never failed).
 */
export type CheckpointState = 'pending' | 'passed' | 'failed' | 'unavailable';

export interface CheckpointStatus {
  id: string;
  status: CheckpointState;
  /** Why it is not passed, in words a learner understands. */
  reason?: Localized;
  /** For 'unavailable': what the engine lacks and why (the page words it: why, and what to do). */
  unmet?: UnmetNeed[];
  /** ISO time it first passed. */
  passedAt?: string;
}

// ---- Docker and the lab --------------------------------------------------

export interface EngineProblem {
  code: 'not-installed' | 'not-running' | 'permission' | 'unreachable' | 'timeout' | 'unknown';
  message: string;
  /** What the learner can do about it. */
  advice: Localized;
}

export interface Preflight {
  reachable: boolean;
  endpoint: string;
  version?: string;
  apiVersion?: string;
  os?: string;
  /** 'desktop' for Docker Desktop (docker0 lives in its VM), 'engine' otherwise. */
  kind?: 'engine' | 'desktop';
  problem?: EngineProblem;
  images: { name: string; present: boolean }[];
}

// ---- The lab doctor: what this engine offers the lessons ---------------------

/** What a lesson or step can declare it needs from the engine (`requires:` in lesson.yaml). */
export const LESSON_NEEDS = ['host-network', 'ipv6', 'iptables', 'macvlan', 'ipvlan'] as const;
export type LessonNeed = (typeof LESSON_NEEDS)[number];

/** Which product runs the engine: each has its own networking differences. */
export type EngineKind = 'linux' | 'docker-desktop' | 'colima' | 'orbstack' | 'rancher-desktop' | 'podman' | 'windows' | 'unknown';

export type Availability = 'yes' | 'no' | 'unknown';

/**
 * Why a finding is what it is; the page words each (why, and what to do) in every locale.
 * ok: seen working; bridge-seen / bridge-not-seen: what a --network host container saw;
 * refused: the engine refused the probe; no-image: no lab image to probe with (pull it);
 * timeout / error: the probe did not finish; windows: Windows containers;
 * desktop-too-old / desktop-setting: Docker Desktop before 4.34 / from 4.34, where a setting decides;
 * vm: the engine runs in a VM whose ports NetLab cannot vouch for; remote: the engine is on another machine;
 * local: the engine runs on this computer; engine-said: the engine names it (docker info);
 * docker-default: Docker before its nftables backend only writes iptables rules; not-said: nothing tells.
 */
export type DoctorCause =
  | 'ok'
  | 'bridge-seen'
  | 'bridge-not-seen'
  | 'refused'
  | 'no-image'
  | 'timeout'
  | 'error'
  | 'windows'
  | 'desktop-too-old'
  | 'desktop-setting'
  | 'vm'
  | 'remote'
  | 'local'
  | 'engine-said'
  | 'docker-default'
  | 'not-said';

export interface DoctorFinding {
  state: Availability;
  cause: DoctorCause;
  /** The engine's own words, when it refused something. */
  detail?: string;
}

export interface DoctorFindings {
  engine: {
    kind: EngineKind;
    /** docker info OperatingSystem, e.g. "Docker Desktop", "Ubuntu 24.04 LTS". */
    os?: string;
    /** linux or windows (the containers' OS). */
    osType?: string;
    /** The engine's architecture as Docker names it (amd64, arm64). */
    arch?: string;
    kernel?: string;
    /** The engine's version. */
    version?: string;
    /** The product and its own version, e.g. "Docker Desktop 4.33.0 (160616)". */
    product?: string;
  };
  /** A --network host container shares the namespace where the engine's bridges (docker0) live. */
  hostNetwork: DoctorFinding;
  /** A server in a --network host container answers on this computer's localhost. */
  hostNetworkFromComputer: DoctorFinding;
  /** A dual-stack (IPv4 + IPv6) network can be created. */
  ipv6: DoctorFinding & { defaultBridge?: boolean };
  /** How the engine writes its firewall rules. */
  firewall: { backend: 'iptables' | 'nftables' | 'unknown'; cause: DoctorCause; detail?: string };
  /** The network drivers the engine offers (docker info Plugins.Network); absent when it does not say. */
  networkDrivers?: string[];
}

/** A need this engine does not meet, and the finding that says so. */
export interface UnmetNeed {
  need: LessonNeed;
  cause: DoctorCause;
  detail?: string;
}

export interface NetworkNode {
  id: string;
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  /** bridge, host and none: the networks every engine has. */
  builtin: boolean;
  createdByLab: boolean;
  /** Made with --internal: Docker forwards nothing between it and anything outside its subnet. */
  internal?: true;
  /** Made with --ipv6: its containers get an IPv6 address too. */
  ipv6?: true;
  /** The IPv6 subnet, when it has one. */
  subnet6?: string;
}

export interface ContainerAttachment {
  network: string;
  ip: string;
  mac: string;
  gateway: string;
  /** Its global IPv6 address on a network made with --ipv6. */
  ip6?: string;
}

export interface ContainerNode {
  id: string;
  name: string;
  image: string;
  /** Docker's state: created, running, paused, restarting, exited, dead. */
  state: string;
  /** bridge | host | none | container:<name> | <user-defined network name> */
  networkMode: string;
  /** For container-mode containers: whose network stack this one joins. */
  joinedTo?: string;
  networks: ContainerAttachment[];
  createdByLab: boolean;
}

export interface Topology {
  networks: NetworkNode[];
  containers: ContainerNode[];
}

/** The network section of `docker inspect` for one container, as Docker spells it (the map's "Network details"). */
export interface ContainerNetworkSettings {
  container: string;
  NetworkMode: string;
  SandboxKey: string;
  Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
  /** Network name -> Docker's endpoint settings (IPAddress, MacAddress, Gateway, Aliases, ...). */
  Networks: Record<string, Record<string, unknown>>;
}

/** A container or network with a name the lesson uses, which the lab did not create (the learner's own). */
export interface NameConflict {
  kind: 'container' | 'network';
  name: string;
  /** Docker's full id: a removal must name it, so a stale request cannot hit a different object. */
  id: string;
  image?: string;
  /** A container's state (running, exited, …). */
  state?: string;
}

/** A Docker operation the UI waits on: 'slow' once it outlasts a moment, then 'done' or 'failed'. */
export interface OperationProgress {
  /** The contract method, e.g. 'lab.open', 'lab.reset', 'terminal.open'. */
  op: string;
  phase: 'slow' | 'done' | 'failed';
  endpoint: string;
  elapsedMs: number;
  timeoutMs: number;
  message?: string;
}

export interface ResetResult {
  removedContainers: string[];
  removedNetworks: string[];
  /** What could not be removed, with Docker's reason. Nothing else is touched. */
  failed: { name: string; message: string }[];
}

/** A live hint about a mistake the learner just made. It explains; it never decides pass or fail. */
export interface CoachHint {
  /** Which rule fired, e.g. 'dns-on-default-bridge'. */
  rule: string;
  message: Localized;
  /** The command that prompted it; for a hint from the engine (source 'engine'), the engine's answer the learner saw. */
  command: string;
  at: string;
  /** 'engine': prompted by a Docker API call the lab relay saw refused (any shell); absent: by a finished host-shell command. */
  source?: 'engine';
}

export interface ImagePackResult {
  file: string;
  images: string[];
  bytes: number;
}

/** How far an image-pack export or import is, for the call that passed this progressId. */
export interface PackProgress {
  progressId: string;
  /** export: save (docker save) then write; import: verify (checksum, tags) then load. */
  phase: 'save' | 'write' | 'verify' | 'load';
  bytes: number;
  /** Known for write, verify and load. */
  total?: number;
}

export interface ImagePullProgress {
  image: string;
  status: string;
  /** Per-layer progress, 0..1 where known. */
  layers: { id: string; status: string; fraction?: number }[];
  done: boolean;
  error?: string;
}

// ---- Terminals --------------------------------------------------------------

/** host: the learner's shell; docker-host: a shell in the Docker host's namespaces; container: docker exec. */
export type TerminalKind = 'host' | 'docker-host' | 'container';

export interface TerminalInfo {
  /** This running session; a new session of the same terminal gets a new id. */
  id: string;
  kind: TerminalKind;
  /** 'host', 'docker-host', or the container's name. */
  name: string;
  /** What it shows, as terminal-key.ts spells it ('host', 'docker-host', 'container:NAME'): the same across sessions. */
  key: string;
  running: boolean;
  /** A host shell with prompt integration: it reports each command it runs (terminal.command). */
  reportsCommands?: boolean;
}

export interface CommandRecord {
  terminalId: string;
  command: string;
  exitCode: number;
  finishedAt: string;
}

// ---- Progress ------------------------------------------------------------------

export interface LessonProgress {
  stepId?: string;
  /** Checkpoint id -> ISO time it passed. */
  passed: Record<string, string>;
  updatedAt?: string;
}

export interface ProgressSnapshot {
  lessons: Record<string, LessonProgress>;
  /** Set when a corrupt progress file was set aside at start. */
  warning?: string;
}

export interface LabSnapshot {
  lessonId: string;
  checkpoints: CheckpointStatus[];
  /** Steps that cannot work on this engine, with what it lacks. */
  unavailableSteps?: { stepId: string; unmet: UnmetNeed[] }[];
  topology: Topology;
  progress: LessonProgress;
}

/** "Report a problem": the file written and its (redacted) text, for a download in browser mode. */
export interface ProblemReportResult {
  file: string;
  content: string;
}

export interface AppInfo {
  name: string;
  version: string;
  transport: 'ipc' | 'websocket';
  platform: string;
  systemLocale: string;
}

// ---- Settings, export, instructor folders ---------------------------------------

/** A setting that takes effect at the next start: what this run uses and what was chosen. */
export interface RestartSetting {
  current: string;
  /** The learner's choice, if any (applies from the next start). */
  chosen?: string;
}

/** A program that can be the host shell. */
export interface ShellOption {
  path: string;
  /** NetLab sees each command run in it, with its exit code (bash, zsh, fish, PowerShell); in any shell it sees the docker commands. */
  integrated: boolean;
}

/** The host shell: applies to the host terminals opened from then on, no restart needed. */
export interface HostShellSettings {
  /** What a host terminal opened now runs. */
  current: ShellOption;
  /** Why: the login shell (the default), the choice made in Settings, or --shell for this run (until a choice is made). */
  source: 'login' | 'chosen' | 'command-line';
  /** The choice saved in Settings. */
  chosen?: string;
  /** The learner's login shell. */
  login: ShellOption;
  /** The shells found on this machine. */
  found: ShellOption[];
  /** Set when the saved choice cannot run any more (the login shell runs instead). */
  warning?: string;
}

export interface AppSettings {
  /** The settings file (in the default data directory). */
  settingsFile: string;
  dataDir: RestartSetting;
  /** The Docker endpoint as a URL; chosen is a socket path, URL or docker context name. */
  dockerEndpoint: RestartSetting;
  hostShell: HostShellSettings;
  /** Extra lesson folders opened from the UI (persisted). */
  lessonFolders: string[];
  /** The terminals expose their text to screen readers (xterm's screenReaderMode); applies at once. */
  screenReaderMode: boolean;
  /** A data directory or endpoint was changed during this run: restart NetLab to apply it. */
  restartNeeded: boolean;
  /** Set when a broken settings file was set aside at start. */
  warning?: string;
}

/** The learner's progress as files to download: JSON and a printable one-page HTML report. */
export interface ProgressExportFiles {
  json: string;
  html: string;
  /** File name without extension. */
  fileBase: string;
}

export interface AddFolderResult {
  folder: string;
  /** Only a folder without problems is added. */
  added: boolean;
  /** Ids of the lessons found. */
  lessons: string[];
  /** Each names a file and a line, like `npm run lessons:lint`. */
  problems: LessonProblem[];
}

/** Whether running a lesson's commands needs the learner's consent first (lessons from an extra folder do). */
export interface LessonConsent {
  needed: boolean;
  granted: boolean;
  /** The lesson's folder, for an extra lesson. */
  folder?: string;
  /**
   * Who asks the learner: 'app' is the desktop app's own dialog, written by the
   * main process (lessons.allow opens it); 'page' is the page's dialog, which
   * shows `commands` and `probes` and calls lessons.allow on Allow.
   */
  askedBy: 'app' | 'page';
  /** Everything the consent lets the lesson do: each command it can type, once. Empty when not needed. */
  commands: SolutionCommand[];
  /** Each read-only check it runs inside a lab container by itself. */
  probes: ProbeInfo[];
  /** The setup commands it runs by itself when its lab opens (absent or empty: none). */
  setup?: SolutionCommand[];
}

/** A checkpoint's probe: a read-only command run inside a lab container without the learner pressing anything. */
export interface ProbeInfo {
  container: string;
  command: string[];
}

/** What a Run asks the main process to type: a block of the lesson's text, or commands of a step's solution. */
export type RunTarget = { kind: 'block'; block: string } | { kind: 'solution'; stepId: string; from: number; count: number };
