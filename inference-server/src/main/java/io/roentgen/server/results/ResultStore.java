package io.roentgen.server.results;

import io.roentgen.server.http.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification results of pushed instances, by study: the newest {@code capacity} kept in
 * memory (oldest dropped first), each also appended as one JSON line to a file when one is set.
 */
public final class ResultStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);

    private final int capacity;
    private final Map<String, LinkedHashMap<String, InstanceResult>> byStudy = new HashMap<>();
    private final Deque<InstanceResult> order = new ArrayDeque<>();
    private final BufferedWriter jsonl;

    public ResultStore(int capacity, Path jsonlFile) throws IOException {
        this.capacity = capacity;
        this.jsonl = jsonlFile == null ? null : Files.newBufferedWriter(jsonlFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Keeps the result under its study, replacing an earlier result of the same instance. */
    public synchronized void add(InstanceResult entry) {
        if (capacity > 0) {
            byStudy.computeIfAbsent(entry.studyInstanceUid(), k -> new LinkedHashMap<>()).put(entry.sopInstanceUid(), entry);
            order.addLast(entry);
            while (order.size() > capacity) {
                evict(order.removeFirst());
            }
        }
        appendLine(entry);
    }

    /** The study's results, oldest first. */
    public synchronized List<InstanceResult> study(String studyUid) {
        LinkedHashMap<String, InstanceResult> entries = byStudy.get(studyUid);
        return entries == null ? List.of() : new ArrayList<>(entries.values());
    }

    @Override
    public synchronized void close() throws IOException {
        if (jsonl != null) {
            jsonl.close();
        }
    }

    private void evict(InstanceResult oldest) {
        LinkedHashMap<String, InstanceResult> entries = byStudy.get(oldest.studyInstanceUid());
        // A re-sent instance replaced its entry: only remove the one that is leaving.
        if (entries != null && entries.get(oldest.sopInstanceUid()) == oldest) {
            entries.remove(oldest.sopInstanceUid());
            if (entries.isEmpty()) {
                byStudy.remove(oldest.studyInstanceUid());
            }
        }
    }

    private void appendLine(InstanceResult entry) {
        if (jsonl == null) {
            return;
        }
        try {
            jsonl.write(Responses.gson().toJson(entry));
            jsonl.newLine();
            jsonl.flush();
        } catch (IOException e) {
            LOG.warn("cannot append a result to the results file: {}", e.getMessage());
        }
    }
}
