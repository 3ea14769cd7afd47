/**
 * The job-engine recipes of examples/engines/, run as the engines would run them, on the built
 * command line (bin/collapse.js, put on PATH as `collapse`): each sharded sweep, merged, is the
 * unsharded sweep byte for byte, also after one shard is lost and made again.
 *
 * - GNU parallel runs for real (parallel.sh). Without parallel the test is skipped, saying why,
 *   except in CI (CI=true), where .ci/run installs it and its absence is a failure.
 * - Slurm: the batch script runs as each array task would, with the variables sbatch sets (the
 *   real scheduler: scripts/slurm-smoke.sh, not in CI).
 * - GitHub Actions and Kubernetes: the files are parsed and their structure checked, then the
 *   commands in them run for every matrix value or completion index.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { BIN, collapseAsync, ROOT, tempDir } from "../cli/cli.js";

const ENGINES = join(ROOT, "examples", "engines");
const SWEEP = readFileSync(join(ENGINES, "sweep.json"), "utf8");
/** The shard count every recipe uses. */
const N = 4;

/** A folder with `collapse` on PATH: a script that runs the built command line. */
function withCollapseOnPath(): { bin: string; env: Record<string, string> } {
  const bin = tempDir();
  const shim = join(bin, "collapse");
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(shim, 0o755);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PATH: `${bin}:${process.env.PATH}` };
  delete env.FORCE_COLOR;
  // CI starts the suite without SHELL; so does this test everywhere, so that it fails here as there.
  delete env.SHELL;
  // The runs are those of a fresh shell: no variables of an engine the test itself runs under.
  for (const name of Object.keys(env)) if (/^(SLURM_|JOB_COMPLETION_INDEX$|N$)/.test(name)) delete env[name];
  return { bin, env };
}

const { env: ENV } = withCollapseOnPath();

/** Runs a shell (sh or bash) command line in `cwd` with collapse on PATH. */
function shell(shellName: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(shellName, args, { cwd, env: { ...ENV, ...env }, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A new folder holding the example's sweep.json (and any other files of examples/engines/ named). */
function workDir(...files: string[]): string {
  const dir = tempDir();
  for (const f of ["sweep.json", ...files]) copyFileSync(join(ENGINES, f), join(dir, f));
  return dir;
}

/** The unsharded sweep of sweep.json, as `collapse sweep --config sweep.json` writes it. */
let whole: string;
beforeAll(async () => {
  const dir = workDir();
  const r = await collapseAsync(["sweep", "--config", "sweep.json", "--jobs", "1", "-o", "whole.csv"], { cwd: dir });
  expect(r.status, r.stderr).toBe(0);
  whole = readFileSync(join(dir, "whole.csv"), "utf8");
  // Small enough to run in seconds, and every shard holds a point.
  expect(JSON.parse(SWEEP).grid).toBeDefined();
});

const hasParallel = spawnSync("parallel", ["--version"], { encoding: "utf8" }).status === 0;
const hasRsync = spawnSync("rsync", ["--version"], { encoding: "utf8" }).status === 0;

describe("GNU parallel: examples/engines/parallel.sh", () => {
  it("runs every shard, merges to the unsharded bytes, and makes one lost shard again to the same bytes", (ctx) => {
    if (!hasParallel) {
      if (process.env.CI === "true") throw new Error("GNU parallel is not installed; .ci/run installs it (apt-get install parallel)");
      ctx.skip("GNU parallel is not installed (apt-get install parallel); CI installs it and runs this test");
    }
    const dir = workDir("parallel.sh");
    const first = shell("sh", ["parallel.sh"], dir);
    expect(first.status, first.stderr).toBe(0);
    // No citation notice, no note: a clean run prints nothing.
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe("");
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole);

    // Shard 3 lost: the merge names it, then the same line re-runs it alone.
    rmSync(join(dir, "part-3.csv"));
    rmSync(join(dir, "sweep.csv"));
    const merge = shell("sh", ["-c", "collapse merge part-*.csv -o sweep.csv"], dir);
    expect(merge.status).toBe(2);
    expect(merge.stderr).toBe(`collapse: shard 3 of ${N} missing; run collapse sweep … --shard 3/${N} and merge every shard\n`);
    const again = shell("sh", ["parallel.sh", "3"], dir);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole);
  });

  it("across hosts (parallel-hosts.sh): sweep.json goes to each remote home, the parts come back, nothing is left there", (ctx) => {
    if (!hasParallel || !hasRsync) {
      const missing = [hasParallel ? "" : "GNU parallel", hasRsync ? "" : "rsync"].filter(Boolean).join(" and ");
      if (process.env.CI === "true") throw new Error(`${missing} not installed; .ci/run installs them`);
      ctx.skip(`${missing} not installed (apt-get install parallel rsync); CI installs them and runs this test`);
    }
    // Two "hosts" reached through a stand-in for ssh: each is a folder, its home, where the command
    // runs as sshd would run it (rsync, which parallel runs over the same ssh, included). sshd sets
    // HOME and SHELL from the account; parallel's remote wrapper runs each job with $SHELL.
    const remotes = tempDir();
    const ssh = join(withCollapseOnPath().bin, "fake-ssh");
    writeFileSync(
      ssh,
      `#!/bin/sh
while [ $# -gt 0 ]; do case $1 in -l|-p|-o|-S|-i) shift 2;; -*) shift;; *) break;; esac; done
host=$1; shift
[ "\${1:-}" = "--" ] && shift
mkdir -p '${remotes}'/"$host" && cd '${remotes}'/"$host" && HOME=$PWD SHELL=/bin/sh exec sh -c "$*"
`,
    );
    chmodSync(ssh, 0o755);
    const dir = workDir("parallel-hosts.sh");
    const hosts = "2/host1,2/host2";
    const first = shell("sh", ["parallel-hosts.sh", hosts], dir, { PARALLEL_SSH: ssh });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toBe("");
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole);
    // Both hosts worked, and --cleanup left their homes empty.
    expect(readdirSync(remotes).sort()).toEqual(["host1", "host2"]);
    for (const host of ["host1", "host2"]) expect(readdirSync(join(remotes, host))).toEqual([]);

    rmSync(join(dir, "part-2.csv"));
    const again = shell("sh", ["parallel-hosts.sh", hosts, "2"], dir, { PARALLEL_SSH: ssh });
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole);
  });

  it("the scripts hold one parallel line each, with --will-cite and --jobs 1 on collapse", () => {
    for (const script of ["parallel.sh", "parallel-hosts.sh"]) {
      // A line ending in a backslash goes on.
      const text = readFileSync(join(ENGINES, script), "utf8").replaceAll("\\\n", "");
      const lines = text.split("\n").filter((l) => /^\s*parallel /.test(l));
      expect(lines, script).toHaveLength(1);
      expect(lines[0]).toContain("--will-cite");
      expect(lines[0]).toContain(`collapse sweep --config sweep.json --jobs 1 --shard {}/${N} -o part-{}.csv`);
    }
    expect(readFileSync(join(ENGINES, "parallel-hosts.sh"), "utf8")).toContain("--basefile sweep.json --return part-{}.csv --cleanup");
  });
});

describe("Slurm: examples/engines/slurm.sh run as each array task", () => {
  const task = (dir: string, id: number, count: number, n?: number) =>
    shell("bash", ["slurm.sh"], dir, {
      SLURM_ARRAY_TASK_ID: String(id),
      SLURM_ARRAY_TASK_COUNT: String(count),
      SLURM_CPUS_PER_TASK: "1",
      ...(n !== undefined ? { N: String(n) } : {}),
    });

  it("an --array=1-4 job merges to the unsharded bytes; the re-run of task 3 with N=4 gives them again", () => {
    const script = readFileSync(join(ENGINES, "slurm.sh"), "utf8");
    expect(script).toMatch(new RegExp(`^#SBATCH --array=1-${N}$`, "m"));
    expect(script).toContain(`--export=ALL,N=${N} slurm.sh`);
    expect(script).toContain("--dependency=afterany:");
    expect(script).toMatch(/^exec collapse sweep /m);

    const dir = workDir("slurm.sh");
    // The first submission, with or without N: SLURM_ARRAY_TASK_COUNT is 4 either way.
    for (let id = 1; id <= N; id++) {
      const r = task(dir, id, N, id % 2 === 0 ? N : undefined);
      expect(r.status, r.stderr).toBe(0);
    }
    const merged = shell("sh", ["-c", "exec collapse merge part-*.csv -o sweep.csv"], dir);
    expect(merged.status, merged.stderr).toBe(0);
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole);

    // sbatch --array=3 sets SLURM_ARRAY_TASK_COUNT=1: N keeps the shard 3/4.
    rmSync(join(dir, "part-3.csv"));
    const without = task(dir, 3, 1);
    expect(without.status).toBe(2);
    expect(without.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(without.stderr).toMatch(/^collapse: --shard expects i\/n .* got "3\/1": .*SLURM_ARRAY_TASK_COUNT=1; fix n in the script\n$/);
    expect(existsSync(join(dir, "part-3.csv"))).toBe(false);
    const rerun = task(dir, 3, 1, N);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(shell("sh", ["-c", "exec collapse merge part-*.csv -o sweep.csv"], dir).status).toBe(0);
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole);
  });
});

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface WorkflowJob {
  needs?: string | string[];
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}

/** The matrix value in the workflow's expressions. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template
const MATRIX_SHARD = "${{ matrix.shard }}";

describe("GitHub Actions: examples/engines/github-actions.yml", () => {
  const text = readFileSync(join(ENGINES, "github-actions.yml"), "utf8");

  it("parses, with an on: trigger, a matrix job, and a merge job that needs it and keeps sweep.csv", () => {
    // YAML 1.2, as GitHub reads it: "on" is a key, not the boolean true.
    const doc = parseAllDocuments(text);
    expect(doc).toHaveLength(1);
    expect(doc[0]!.errors).toEqual([]);
    const workflow = parse(text) as { on: unknown; env: Record<string, string>; jobs: Record<string, WorkflowJob> };
    expect(workflow.on).toBeTypeOf("object");
    expect(Object.keys(workflow.on as object).length).toBeGreaterThan(0);
    const { sweep, merge } = workflow.jobs;
    expect(sweep!.strategy!.matrix!.shard).toEqual(Array.from({ length: N }, (_, k) => k + 1));
    expect([merge!.needs].flat()).toContain("sweep");
    const upload = (job: WorkflowJob) => job.steps.filter((s) => s.uses?.startsWith("actions/upload-artifact@"));
    const download = merge!.steps.filter((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(upload(sweep!)).toHaveLength(1);
    expect(upload(sweep!)[0]!.with).toMatchObject({ name: `part-${MATRIX_SHARD}`, path: `part-${MATRIX_SHARD}.csv` });
    expect(download).toHaveLength(1);
    expect(download[0]!.with).toMatchObject({ pattern: "part-*", "merge-multiple": true });
    expect(upload(merge!).map((s) => s.with!.path)).toEqual(["sweep.csv"]);
    expect(existsSync(join(ROOT, workflow.env.SWEEP!))).toBe(true);
  });

  it("its run lines, for every matrix value and then the merge, give the unsharded bytes", () => {
    const workflow = parse(text) as { env: Record<string, string>; jobs: Record<string, WorkflowJob> };
    const runs = (job: WorkflowJob) =>
      job.steps
        .map((s) => s.run)
        .filter((r): r is string => r !== undefined && r !== "npm ci")
        // npx runs the collapse of node_modules/.bin: here, the one on PATH.
        .map((r) => r.replace(/\bnpx collapse\b/g, "collapse"));
    const dir = tempDir();
    mkdirSync(join(dir, "examples", "engines"), { recursive: true });
    copyFileSync(join(ENGINES, "sweep.json"), join(dir, workflow.env.SWEEP!));
    // Each matrix job on its own runner; download-artifact with merge-multiple puts every part in one folder.
    for (const shard of workflow.jobs.sweep!.strategy!.matrix!.shard!) {
      for (const run of runs(workflow.jobs.sweep!)) {
        const line = run.replaceAll(MATRIX_SHARD, String(shard));
        expect(line).not.toContain("${{");
        const r = shell("bash", ["-e", "-c", line], dir, workflow.env);
        expect(r.status, r.stderr).toBe(0);
      }
    }
    for (const run of runs(workflow.jobs.merge!)) {
      const r = shell("bash", ["-e", "-c", run], dir, workflow.env);
      expect(r.status, r.stderr).toBe(0);
    }
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole);
  });
});

interface K8sDoc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: {
      spec: {
        restartPolicy: string;
        containers: { command: string[]; env?: { name: string; value: string }[]; volumeMounts: { name: string; mountPath: string }[] }[];
        volumes: { name: string; configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }[];
      };
    };
  };
}

describe("Kubernetes: examples/engines/k8s-job.yaml and k8s-merge.yaml", () => {
  const load = (file: string): K8sDoc[] =>
    parseAllDocuments(readFileSync(join(ENGINES, file), "utf8")).map((d) => {
      expect(d.errors, file).toEqual([]);
      return d.toJS() as K8sDoc;
    });

  it("an Indexed Job of N completions, N at a time, each running shard JOB_COMPLETION_INDEX + 1 of N; the ConfigMap holds sweep.json", () => {
    const docs = load("k8s-job.yaml");
    const config = docs.find((d) => d.kind === "ConfigMap")!;
    expect(config.data!["sweep.json"]).toBe(SWEEP);
    const job = docs.find((d) => d.kind === "Job")!;
    expect(job.spec.completionMode).toBe("Indexed");
    expect(job.spec.completions).toBe(N);
    expect(job.spec.parallelism).toBe(N);
    const [container] = job.spec.template.spec.containers;
    expect(container!.env).toContainEqual({ name: "N", value: String(N) });
    expect(container!.command.join(" ")).toContain('--shard "$((JOB_COMPLETION_INDEX + 1))/$N"');
    expect(container!.command.at(-1)).toMatch(/^exec collapse sweep /);
    // Every volume the pods mount is one the manifests define.
    const claims = docs.filter((d) => d.kind === "PersistentVolumeClaim").map((d) => d.metadata.name);
    for (const volume of job.spec.template.spec.volumes) {
      if (volume.configMap) expect(volume.configMap.name).toBe(config.metadata.name);
      if (volume.persistentVolumeClaim) expect(claims).toContain(volume.persistentVolumeClaim.claimName);
    }
    const [merge] = load("k8s-merge.yaml");
    expect(merge!.kind).toBe("Job");
    expect(merge!.spec.template.spec.volumes.map((v) => v.persistentVolumeClaim?.claimName)).toEqual(claims);
  });

  it("its commands, for every index and then the merge, give the unsharded bytes", () => {
    const job = load("k8s-job.yaml").find((d) => d.kind === "Job")!;
    const [merge] = load("k8s-merge.yaml");
    const dir = tempDir();
    // The pods' mounts, as folders of the temporary one.
    const mounted = (container: K8sDoc["spec"]["template"]["spec"]["containers"][number]) => {
      let script = container.command.at(-1)!;
      for (const { mountPath } of container.volumeMounts) {
        mkdirSync(join(dir, mountPath), { recursive: true });
        script = script.replaceAll(`${mountPath}/`, `${join(dir, mountPath)}/`);
      }
      expect(container.command.slice(0, -1)).toEqual(["sh", "-c"]);
      return script;
    };
    const shardScript = mounted(job.spec.template.spec.containers[0]!);
    writeFileSync(join(dir, "config", "sweep.json"), SWEEP);
    const env = Object.fromEntries(job.spec.template.spec.containers[0]!.env!.map((e) => [e.name, e.value]));
    for (let index = 0; index < job.spec.completions!; index++) {
      const r = shell("sh", ["-c", shardScript], dir, { ...env, JOB_COMPLETION_INDEX: String(index) });
      expect(r.status, r.stderr).toBe(0);
    }
    const r = shell("sh", ["-c", mounted(merge!.spec.template.spec.containers[0]!)], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "results", "sweep.csv"), "utf8")).toBe(whole);
  });
});
