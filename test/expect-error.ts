/** The message of the InputError `f` throws, checked to be one line (what stderr will show); fails otherwise. */
import { expect } from "vitest";
import { InputError, UsageError } from "../src/errors.js";

export function inputError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const message = (e as Error).message;
    expect(message).not.toMatch(/[\n\r]/);
    return message;
  }
  throw new Error("expected an InputError");
}

/** The message of the UsageError `f` throws, checked to be one line; fails otherwise. */
export function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message).not.toMatch(/[\n\r]/);
    return message;
  }
  throw new Error("expected a UsageError");
}
