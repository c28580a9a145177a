/**
 * Campaign results: the campaign report (funnel per step, messages per step and channel, exits, conversions and
 * revenue by the attribution rule, by segment at entry, daily series) and the outcomes of experiments' arms.
 * Reads other modules' data only through their views and the engine's history.
 */
package io.loyalflow.report;
