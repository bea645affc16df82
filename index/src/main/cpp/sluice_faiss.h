// Helpers for the JavaCPP peer class io.sluice.index.FaissNative (compiled by the javacpp Maven
// plugin together with the generated JNI code). Kept to what a Java binding cannot express.
#pragma once
#include <faiss/Index.h>

// Indexes returned by faiss::index_factory and faiss::read_index are owned by the caller and must
// be deleted through their virtual destructor; JavaCPP attaches no deallocator to such pointers.
inline void sluice_delete_index(faiss::Index* index) { delete index; }
