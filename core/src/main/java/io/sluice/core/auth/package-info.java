/** API keys that Sluice's services (retrieval server, training feeder) accept, kept as digests. */
package io.sluice.core.auth;
