/** Numeric seed data from a table: one column (gaussian) or several (mvn, gmm). */
import { InputError } from "../errors.js";
import { columnIndex, describeColumns, numberOf, type Table } from "./table.js";

function toNumbers(table: Table, c: number): Float64Array {
  const label = table.hasHeader ? JSON.stringify(table.names[c]) : String(c + 1);
  const cells = table.columns[c]!;
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) out[i] = numberOf(cells[i]!, label);
  return out;
}

/** The one numeric column a univariate model fits: the chosen one, or the only one. */
export function singleColumn(table: Table, choice: string | null): { name: string; values: Float64Array } {
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
 */
export function numericColumns(
  table: Table,
  choice: string | null,
): { names: string[]; columns: Float64Array[]; skipped: string[] } {
  if (choice !== null) {
    const picks = choice.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const idx = picks.map((p) => columnIndex(table, p));
    return { names: idx.map((i) => table.names[i]!), columns: idx.map((i) => toNumbers(table, i)), skipped: [] };
  }
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const skipped: string[] = [];
  table.names.forEach((name, c) => {
    try {
      columns.push(toNumbers(table, c));
      names.push(name);
    } catch {
      skipped.push(name);
    }
  });
  if (columns.length === 0) throw new InputError(`${table.name} has no numeric column; check the file or pick columns with --column`);
  return { names, columns, skipped };
}
