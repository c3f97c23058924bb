# Turns a text file into a C++ source that returns its bytes: `cmake -DINPUT=... -DOUTPUT=...
# -DNAMESPACE=... -DFUNCTION=... -DHEADER=... -P embed_text.cmake`. Used for docs/api/openapi.json,
# so that the document the server answers with is the file in the tree, with no second copy.
file(READ "${INPUT}" content)
set(delimiter "smsgw_embedded")
string(FIND "${content}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${delimiter}\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/embed_text.cmake at build time; do not edit.\n"
  "#include \"${HEADER}\"\n\n"
  "namespace ${NAMESPACE} {\n\n"
  "std::string_view ${FUNCTION}() {\n"
  "  static constexpr char kText[] = R\"${delimiter}(${content})${delimiter}\";\n"
  "  return {kText, sizeof(kText) - 1};\n"
  "}\n\n"
  "}  // namespace ${NAMESPACE}\n")
# Only a changed text rewrites the source, so an unchanged document recompiles nothing.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
