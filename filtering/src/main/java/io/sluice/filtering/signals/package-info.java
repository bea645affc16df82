/**
 * Per-document quality signals: the published web-text heuristics (Gopher quality and repetition,
 * C4, FineWeb) and The Stack / StarCoder code signals, each a named number computed in one or two
 * passes over the text, language-aware where words matter.
 */
package io.sluice.filtering.signals;
