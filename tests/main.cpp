// Catch2 v2 entry point; nothing else lives here.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
