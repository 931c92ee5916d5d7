/**
 * Issue 12: what an outside attack and fault run broke on the sync server.
 * One test per point (ATTACK-1 … ATTACK-10), on SQLite and on PostgreSQL where
 * the point applies; each failed on the code before its fix.
 */

// <ATTACK-1: forged or malformed PostgreSQL notifications>

// <ATTACK-2: pull pages capped by bytes; documents have a maximum size>

// <ATTACK-3: every actor field is bound to the pushing account>

// <ATTACK-4: a full log disk never stops serving>

// <ATTACK-5: slow requests time out; streams capped per session>

// <ATTACK-6: lockout per account and address, no user directory>

// <ATTACK-7: weak passwords refused by a strength estimator>

// <ATTACK-8: bad input answered in the protocol shape, never 500>

// <ATTACK-9: limits shared between server processes, per-session API limits>

// <ATTACK-10: retention, latency histograms, restore>
