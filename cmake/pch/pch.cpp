// The one source of the precompiled-header holder targets in cmake/smsgw.cmake: CMake builds a
// target's precompiled header only for a target with sources, and the holders exist only so that
// every test target (or every networking library) reuses one header instead of building its own.
