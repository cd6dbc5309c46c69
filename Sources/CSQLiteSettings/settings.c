#include <sqlite3.h>
#include "CSQLiteSettings.h"

int parley_sqlite_memory_statistics_off(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int parley_sqlite_lookaside(void *connection, int size, int count) {
    return sqlite3_db_config((sqlite3 *)connection, SQLITE_DBCONFIG_LOOKASIDE, (void *)0, size, count);
}

int parley_sqlite_counts_memory(void) {
    // A connection open holds memory: SQLite reports it in use only when it counts.
    sqlite3 *db = 0;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_int64 current = 0, highwater = 0;
    int rc = sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &current, &highwater, 0);
    sqlite3_close(db);
    if (rc != SQLITE_OK) return -1;
    return current > 0 ? 1 : 0;
}

const char *parley_sqlite_version(void) {
    return sqlite3_libversion();
}
