/**
 * Every chart Roentgen writes, drawn by JFreeChart (DECISIONS 60): line charts (learning curves,
 * benchmark figures against batch size on a log2 axis), horizontal bar charts, ROC curves and
 * confusion matrices, and their atomic PNG write. It lives in {@code models} because that is the
 * lowest module that every writer of charts ({@code training}, {@code cli}) depends on; it takes
 * plain arrays and records, so it knows nothing of training or benchmarks.
 */
package io.roentgen.models.report;
