// The name rules live in core so every StrataDatabase (SQL here, core's in-memory one) enforces the same.
export { checkName, NAME_MAX_LENGTH, quoteList } from '@strata/core/plugin';
