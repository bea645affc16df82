/** What a run tells people: stage statistics as JSON and as a console table. */
package io.sluice.core.report;
