/** A module that does nothing: bench/import_cost.ts's floor for "importing any ES module". */
export const empty = true;
