# Precompiled headers (SMSGW_PCH, on by default). Compiling is most of the test suite's time, and
# much of each file's compile is parsing GoogleTest (every test file) or Asio/Beast (every
# networking file). One precompiled header of each, built once in a holder target and reused by
# every target that wants it: per-target headers were measured to cost as much as they saved.
# GCC uses a reused header only where the flags match (it silently parses normally otherwise).
option(SMSGW_PCH "Share precompiled GoogleTest and Asio/Beast headers between targets" ON)

function(smsgw_pch_holders)
  if(NOT SMSGW_PCH OR SMSGW_FUZZ)
    return()
  endif()
  find_package(Boost 1.74 REQUIRED COMPONENTS system)
  add_library(smsgw_asio_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch/pch.cpp)
  target_link_libraries(smsgw_asio_pch PRIVATE Boost::system)
  # <utility> first: Boost 1.74's asio/awaitable.hpp uses std::exchange without including it.
  target_precompile_headers(smsgw_asio_pch PRIVATE <utility> <boost/asio.hpp>
    <boost/asio/awaitable.hpp> <boost/asio/co_spawn.hpp> <boost/asio/redirect_error.hpp>
    <boost/asio/use_awaitable.hpp> <boost/beast/core.hpp> <boost/beast/http.hpp>)
  if(SMSGW_TESTS)
    add_library(smsgw_gtest_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch/pch.cpp)
    target_link_libraries(smsgw_gtest_pch PRIVATE GTest::gtest)
    target_precompile_headers(smsgw_gtest_pch PRIVATE <gtest/gtest.h>)
  endif()
endfunction()

# `target`'s sources get the shared precompiled GoogleTest header.
function(smsgw_gtest_pch target)
  if(TARGET smsgw_gtest_pch)
    target_precompile_headers(${target} REUSE_FROM smsgw_gtest_pch)
  endif()
endfunction()

# `target`'s sources get the shared precompiled Asio/Beast headers.
function(smsgw_asio_pch target)
  if(TARGET smsgw_asio_pch)
    target_precompile_headers(${target} REUSE_FROM smsgw_asio_pch)
  endif()
endfunction()

# The tests' own PostgreSQL server (tests/postgres): its data directory and socket under /tmp,
# named after this build tree so that the server's user can reach them whatever the checkout's
# permissions. Set here, before src/ and tests/ register the tests that need its URI.
string(MD5 smsgw_build_hash "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${smsgw_build_hash}" 0 12 smsgw_build_hash)
set(SMSGW_TEST_POSTGRES_DIR "/tmp/smsgw-pg-${smsgw_build_hash}")
set(SMSGW_TEST_POSTGRES_URI "postgresql:///smsgw?host=${SMSGW_TEST_POSTGRES_DIR}&user=smsgw")

# smsgw_unit_test(NAME [POSTGRES] [FILTER gtest-filter] [SHARDS n] SOURCES... LIBS ...): a
# GoogleTest binary labelled `unit`, registered with CTest as SHARDS (default 1) tests
# `NAME_shardI`, each a GoogleTest shard of its cases (GTEST_TOTAL_SHARDS, GTEST_SHARD_INDEX), not
# as a process per case: a start under the sanitizers costs more than most cases (the store
# contract cases on SQLite: 115 s as a process each, 12 s as one). A failing case is named in
# its shard's output; run one case with the binary's --gtest_filter. POSTGRES: its tests need
# the suite's PostgreSQL server (tests/postgres), whose URI they find in SMSGW_TEST_POSTGRES.
# FILTER: only the cases it selects run (say at the call why the others are left out).
function(smsgw_unit_test name)
  if(NOT SMSGW_TESTS OR SMSGW_FUZZ)
    return()
  endif()
  cmake_parse_arguments(T "POSTGRES" "FILTER;SHARDS" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main GTest::gmock)
  smsgw_gtest_pch(${name})
  set(filter "")
  if(T_FILTER)
    set(filter "--gtest_filter=${T_FILTER}")
  endif()
  if(NOT T_SHARDS)
    set(T_SHARDS 1)
  endif()
  math(EXPR last "${T_SHARDS} - 1")
  foreach(i RANGE ${last})
    set(test ${name}_shard${i})
    add_test(NAME ${test} COMMAND ${name} ${filter} WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set(env "GTEST_TOTAL_SHARDS=${T_SHARDS}" "GTEST_SHARD_INDEX=${i}")
    if(T_POSTGRES)
      list(APPEND env "SMSGW_TEST_POSTGRES=${SMSGW_TEST_POSTGRES_URI}")
      set_tests_properties(${test} PROPERTIES FIXTURES_REQUIRED postgres)
    endif()
    set_tests_properties(${test} PROPERTIES LABELS unit COST 50 ENVIRONMENT "${env}")
  endforeach()
endfunction()
