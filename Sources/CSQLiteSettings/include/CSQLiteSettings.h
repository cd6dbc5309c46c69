#ifndef PARLEY_CSQLITESETTINGS_H
#define PARLEY_CSQLITESETTINGS_H

/// SQLite's process-wide settings that Swift cannot set itself: `sqlite3_config` is a C
/// variadic function, which Swift does not import.

/// Turns off SQLite's memory statistics (`SQLITE_CONFIG_MEMSTATUS`). Takes effect only before
/// SQLite is initialised (before the process's first connection); returns SQLite's result code
/// (0, `SQLITE_OK`, when it took effect; 21, `SQLITE_MISUSE`, when SQLite was already running).
int parley_sqlite_memory_statistics_off(void);

/// Whether SQLite counts its memory in this process (1) or not (0), -1 when it cannot tell:
/// opens a connection to an in-memory database, which holds memory, and asks SQLite how much
/// is in use (`sqlite3_status64(SQLITE_STATUS_MEMORY_USED)`), which it knows only when it counts.
int parley_sqlite_counts_memory(void);

/// Gives the connection `count` lookaside slots of `size` bytes, SQLite's own allocator for its
/// small objects (`sqlite3_db_config(SQLITE_DBCONFIG_LOOKASIDE, NULL, size, count)`): right after
/// the connection opens, while none is in use. Returns SQLite's result code.
int parley_sqlite_lookaside(void *connection, int size, int count);

/// The version of the SQLite library the process runs on ("3.40.1").
const char *parley_sqlite_version(void);

#endif
