package io.loyalflow.experiment;
/** Outcome counts per arm of one experiment, as the campaign report attributes them (implemented by report). */
public interface ExperimentOutcomes {
    /** Per arm name: the figures of the journeys assigned to it within the experiment. */
    java.util.Map<String, ArmOutcome> outcomes(String campaignId, String experimentKey);
    /** assigned: journeys assigned the arm; reached: of those, journeys that reached the arm's first step after
     *  the split (control: the same count as assigned, since it passes straight on); opened/clicked: journeys with
     *  >= 1 human open / click of a message of the journey sent after the split; converted: journeys with an
     *  attributed order (the campaign report's rule); revenue: their attributed revenue (sum). */
    record ArmOutcome(
            long assigned, long reached, long opened, long clicked, long converted, java.math.BigDecimal revenue) {}
}
