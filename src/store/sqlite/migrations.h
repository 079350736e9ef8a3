// Versioned schema migrations of the SQLite store. Internal to store/.
#pragma once

#include <sqlite3.h>

#include <string_view>
#include <vector>

#include "core/error.h"

namespace steward::store::sqlite {

// Migration N (1-based) is Migrations()[N-1]; each runs once, in its own transaction, and is
// recorded in schema_migrations. Never edit a shipped migration: append a new one.
const std::vector<std::string_view>& Migrations();

// Applies every migration newer than the database's version. internal when one fails (the
// failed migration is rolled back); failed_precondition-style internal error when the database
// is newer than this binary.
Status ApplyMigrations(sqlite3* db);

}  // namespace steward::store::sqlite
