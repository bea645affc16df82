/**
 * Programming-language identification of source files: extension, file name and shebang, with
 * content checks where those are ambiguous.
 */
package io.sluice.ingest.code;
