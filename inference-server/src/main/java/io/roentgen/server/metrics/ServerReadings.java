package io.roentgen.server.metrics;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Values the server reads for the gauges at scrape time, from sources outside this package.
 *
 * @param requestsInFlight         HTTP requests taken and not yet answered, the scrape included
 * @param requestMemoryBytes       request memory reserved by requests in flight
 * @param requestMemoryBudgetBytes the request memory budget
 * @param connectionsRefused       connections closed at once for their client's cap, since start
 */
public record ServerReadings(IntSupplier requestsInFlight, LongSupplier requestMemoryBytes,
                             LongSupplier requestMemoryBudgetBytes, LongSupplier connectionsRefused) {}
