// Column types for row schemas: what a JSONEachRow read gives for a ClickHouse type under
// the client factory's settings (client.ts). 64-bit integers come as JSON numbers
// (output_format_json_quote_64bit_integers = 0), so an integer column is a number and
// nothing is coerced: a string, or an integer past 2^53, fails the read instead of
// turning into a wrong count. A Float64 or Float32 that is NaN or ±inf (a ratio over
// zero, the average or a quantile of nothing) comes as JSON null; so does a Nullable
// column's NULL. A row schema says which of its columns can be null.
import { z } from 'zod'

/** Any integer type: counts, sums of integers, flags (UInt8). */
export const int = z.number().int()
/** An integer column of Nullable type (a scalar subquery's value). */
export const intOrNull = int.nullable()
/** A float that cannot be NaN: a sum or a stored amount. */
export const float = z.number()
/** A float that can be NaN or ±inf (null in JSON): a division, an average, a quantile; or a Nullable float. */
export const floatOrNull = z.number().nullable()
export const text = z.string()
/** DateTime or DateTime64 text, 'YYYY-MM-DD hh:mm:ss[.fff]' (chTimeToIso turns it into ISO 8601). */
export const chTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/)
/** Date text, 'YYYY-MM-DD'. */
export const chDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
