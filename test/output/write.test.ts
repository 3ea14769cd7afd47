import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { cannotWrite, checkOutput, checkOutputs, openSink, writeFully, writeOutputs } from "../../src/output/write.js";
import { ROOT, tempDir } from "../cli/cli.js";

const dir = () => tempDir();
const errno = (code: string) => Object.assign(new Error(code), { code });

describe("writeFully", () => {
  it("loops over short writes until every byte is written", () => {
    const got: number[] = [];
    const short = (_fd: number, buf: Uint8Array, offset: number, length: number) => {
      const n = Math.min(7, length);
      got.push(...buf.subarray(offset, offset + n));
      return n;
    };
    const bytes = Buffer.from("x".repeat(100) + "ü€ end");
    writeFully(3, bytes, short);
    expect(Buffer.from(got).equals(bytes)).toBe(true);
  });

  it("a write that makes no progress is an error, not an endless loop", () => {
    expect(() => writeFully(3, Buffer.from("abc"), () => 0)).toThrow();
  });

  it("an error from the system passes through", () => {
    expect(() =>
      writeFully(3, Buffer.from("abc"), () => {
        throw errno("ENOSPC");
      }),
    ).toThrow(/ENOSPC/);
  });
});

describe("cannotWrite: one line naming the file, the cause and the fix", () => {
  it.each([
    ["ENOSPC", "no space left on device (ENOSPC); free space or choose another -o path"],
    ["EDQUOT", "disk quota exceeded (EDQUOT); free space or choose another -o path"],
    ["EFBIG", "file too large (EFBIG); free space or choose another -o path"],
    ["EIO", "input/output error (EIO); choose another -o path"],
    ["EPERM", "operation not permitted (EPERM); choose another -o path"],
    ["EROFS", "read-only file system (EROFS); choose another -o path"],
    ["EACCES", "permission denied (EACCES); choose another -o path"],
    ["ENOENT", "its directory does not exist; choose another -o path"],
    ["EISDIR", "it is a directory; choose another -o path"],
  ])("%s", (code, text) => {
    const e = cannotWrite("run.json", "-o", errno(code));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(`cannot write run.json: ${text}`);
  });

  it("names the flag that chose the path", () => {
    expect(cannotWrite("j.xml", "--junit", errno("ENOSPC")).message).toMatch(/choose another --junit path$/);
  });
});

describe("checkOutput: what kind of path, decided before any work and without opening it", () => {
  it("stdout for none, - and /dev/stdout", () => {
    for (const p of [undefined, "-", "/dev/stdout"]) expect(checkOutput(p).kind).toBe("stdout");
  });

  it("a device or FIFO is written directly (a FIFO without a reader is not opened, so this returns)", () => {
    expect(checkOutput("/dev/null").kind).toBe("direct");
    const d = dir();
    execFileSync("mkfifo", [join(d, "fifo")]);
    expect(checkOutput(join(d, "fifo")).kind).toBe("direct");
  });

  it("a symlink is resolved to the file it names", () => {
    const d = dir();
    mkdirSync(join(d, "real"));
    symlinkSync(join("real", "f"), join(d, "link"));
    const o = checkOutput(join(d, "link"));
    expect(o).toMatchObject({ kind: "replace", target: join(d, "real", "f"), shown: join(d, "link") });
  });

  it("refuses a directory, a missing directory and stdout where a file is needed", () => {
    expect(() => checkOutput(dir())).toThrow(/it is a directory/);
    expect(() => checkOutput(join(dir(), "no", "x"))).toThrow(/its directory does not exist/);
    expect(() => checkOutput("-", "--junit", { stdout: false })).toThrow(/--junit needs a file name/);
  });

  it("refuses two outputs naming one file", () => {
    const d = dir();
    expect(() =>
      checkOutputs([
        ["-o", join(d, "a")],
        ["--save-baseline", join(d, "a")],
      ]),
    ).toThrow(/-o and --save-baseline name the same file/);
    expect(
      checkOutputs([
        ["-o", "/dev/null"],
        ["--save-baseline", "/dev/null"],
      ]),
    ).toHaveLength(2);
  });
});

describe("writeOutputs: all or nothing", () => {
  it("writes every file, keeping an existing file's mode", async () => {
    const d = dir();
    writeFileSync(join(d, "a"), "old");
    const [a, b] = checkOutputs([
      ["-o", join(d, "a")],
      ["--save-baseline", join(d, "b")],
    ]);
    await writeOutputs([
      { output: a!, text: "A" },
      { output: b!, text: "B" },
    ]);
    expect(readFileSync(join(d, "a"), "utf8")).toBe("A");
    expect(readFileSync(join(d, "b"), "utf8")).toBe("B");
    expect(readdirSync(d).sort()).toEqual(["a", "b"]);
  });

  it.skipIf(!existsSync("/dev/full"))("writes none when one fails (a full device), leaving no temporary file", async () => {
    const d = dir();
    writeFileSync(join(d, "a"), "old");
    const [a, full] = checkOutputs([
      ["-o", join(d, "a")],
      ["--save-baseline", "/dev/full"],
    ]);
    await expect(
      writeOutputs([
        { output: a!, text: "new" },
        { output: full!, text: "x".repeat(10_000) },
      ]),
    ).rejects.toThrow(/cannot write \/dev\/full: no space left on device \(ENOSPC\); free space or choose another --save-baseline path/);
    expect(readFileSync(join(d, "a"), "utf8")).toBe("old");
    expect(readdirSync(d)).toEqual(["a"]);
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });
});

describe("openSink: streamed output", () => {
  it("is invisible until committed, and abort leaves nothing", async () => {
    const d = dir();
    const path = join(d, "s.csv");
    const sink = openSink(checkOutput(path));
    sink.write("a\n");
    expect(existsSync(path)).toBe(false);
    sink.write("b\n");
    await sink.commit();
    expect(readFileSync(path, "utf8")).toBe("a\nb\n");
    const other = openSink(checkOutput(join(d, "t.csv")));
    other.write("x");
    other.abort();
    expect(readdirSync(d)).toEqual(["s.csv"]);
  });

  it.skipIf(!existsSync("/dev/full"))("to a full device fails on commit at the latest, with the one-line error", async () => {
    const sink = openSink(checkOutput("/dev/full"));
    let error: unknown;
    try {
      for (let i = 0; i < 100; i++) sink.write("row\n");
      await sink.commit();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/no space left on device \(ENOSPC\)/);
  });
});

describe("writeOutputs: text in pieces", () => {
  it("writes a file's pieces in order, made one at a time", async () => {
    const target = join(dir(), "pieces.txt");
    const made: number[] = [];
    function* pieces() {
      for (let i = 0; i < 5; i++) {
        made.push(i);
        yield i === 2 ? "" : `piece ${i}\n`;
      }
    }
    await writeOutputs([{ output: checkOutput(target), text: pieces() }]);
    expect(readFileSync(target, "utf8")).toBe("piece 0\npiece 1\npiece 3\npiece 4\n");
    expect(made).toEqual([0, 1, 2, 3, 4]);
  });

  it("takes a turn of the event loop after every piece, an empty one (a pause) too", async () => {
    const target = join(dir(), "pauses.txt");
    let turns = 0;
    const seen: number[] = [];
    const count = () => {
      turns++;
      timer = setImmediate(count);
    };
    let timer = setImmediate(count);
    function* pieces() {
      for (let i = 0; i < 4; i++) {
        seen.push(turns);
        yield i === 3 ? "end\n" : "";
      }
    }
    await writeOutputs([{ output: checkOutput(target), text: pieces() }]);
    clearImmediate(timer);
    expect(readFileSync(target, "utf8")).toBe("end\n");
    // Each piece made after at least one more turn than the one before it.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!, `piece ${i}`).toBeGreaterThan(seen[i - 1]!);
  });

  // A slow reader of a pipe: process.stdout queues what the pipe cannot take, so pieces made ahead of
  // the reader would all be held (1.8 GB for a 290 MB JSON document). The next piece must wait.
  it("on a pipe, makes the next piece only once the reader has taken the last", async () => {
    const script = `
      import { writeOutputs } from ${JSON.stringify(join(ROOT, "dist/output/write.js"))};
      function* pieces() {
        for (let i = 1; i <= 32; i++) { process.stderr.write("made " + i + "\\n"); yield "x".repeat(1 << 20); }
      }
      await writeOutputs([{ output: { kind: "stdout", flag: "" }, text: pieces() }]);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let made = 0;
    child.stderr.on("data", (d: Buffer) => {
      for (const m of d.toString().matchAll(/made (\d+)/g)) made = Number(m[1]);
    });
    // Nothing read for 0.5 s: the pipe and this end's buffer fill with part of the first piece.
    await new Promise((r) => setTimeout(r, 500));
    const madeWhileBlocked = made;
    let bytes = 0;
    child.stdout.on("data", (d: Buffer) => (bytes += d.length));
    const status = await new Promise((r) => child.on("close", r));
    expect(status).toBe(0);
    expect(madeWhileBlocked).toBeGreaterThanOrEqual(1);
    expect(madeWhileBlocked).toBeLessThanOrEqual(2);
    expect(made).toBe(32);
    expect(bytes).toBe(32 << 20);
  });
});
