import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { cannotWrite, checkOutput, checkOutputs, openSink, writeFully, writeOutputs } from "../../src/output/write.js";
import { tempDir } from "../cli/cli.js";

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
