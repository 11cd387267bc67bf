package io.opsmcp.tools.gitlab.trace;

/**
 * One cleaned trace line.
 *
 * @param number 1-based line number in the raw trace
 * @param text   the visible text
 * @param match  whether it matched the search (grep, a rule) rather than being context
 */
public record TraceLine(long number, String text, boolean match) {}
