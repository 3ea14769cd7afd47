/** Numeric seed data from a table: one column (gaussian) or several (mvn, gmm). */
import { InputError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import { columnValues, type NumericTable, numericTableOf } from "./numeric-table.js";
import { columnIndex, describeColumns, type Table } from "./table.js";

/** A table of cells is converted; a streamed numeric table is used as it is. */
function numeric(table: Table | NumericTable): NumericTable {
  return "format" in table ? numericTableOf(table) : table;
}

function toNumbers(table: NumericTable, c: number): Float64Array {
  const label = table.hasHeader ? JSON.stringify(table.names[c]) : String(c + 1);
  return columnValues(table, c, label);
}

/** The one numeric column a univariate model fits: the chosen one, or the only one. */
export function singleColumn(input: Table | NumericTable, choice: string | null): { name: string; values: Float64Array } {
  const table = numeric(input);
  let c: number;
  if (choice !== null) c = columnIndex(table, choice);
  else if (table.names.length === 1) c = 0;
  else {
    throw new InputError(`${table.name} has ${describeColumns(table)}; choose one with --column`);
  }
  return { name: table.names[c]!, values: toNumbers(table, c) };
}

/**
 * Several numeric columns for a multivariate model: the chosen ones (comma list), or every column
 * whose cells are all numbers — the others are reported through `skipped` so the CLI can say so.
 * `extra` names columns a model's seed-column options choose (linreg's --target): they come last,
 * in that order, are never part of the default selection, and may not be chosen by --column too.
 */
export function numericColumns(
  input: Table | NumericTable,
  choice: string | null,
  extra: readonly { value: string; label: string }[] = [],
): { names: string[]; columns: Float64Array[]; skipped: string[] } {
  const table = numeric(input);
  const extraIndex = extra.map((e) => columnIndex(table, e.value, e.label));
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const skipped: string[] = [];
  if (choice !== null) {
    const picks = choice
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    for (const p of picks) {
      const i = columnIndex(table, p);
      const taken = extraIndex.indexOf(i);
      if (taken >= 0) {
        throw new InputError(
          `--column ${excerpt(p, 60)}: column ${quote(table.names[i]!, 60)} of ${table.name} is the one ${extra[taken]!.label} names; remove it from --column`,
        );
      }
      names.push(table.names[i]!);
      columns.push(toNumbers(table, i));
    }
  } else {
    table.names.forEach((name, c) => {
      if (extraIndex.includes(c)) return;
      try {
        columns.push(toNumbers(table, c));
        names.push(name);
      } catch {
        skipped.push(name);
      }
    });
    if (columns.length === 0 && extra.length === 0) throw new InputError(`${table.name} has no numeric column; check the file or pick columns with --column`);
  }
  for (const i of extraIndex) {
    names.push(table.names[i]!);
    columns.push(toNumbers(table, i));
  }
  return { names, columns, skipped };
}
