package io.loyalflow.clv;

import io.loyalflow.platform.problem.Refusal;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The clv-refit process's fit on the orders up to today. A fit already running elsewhere is an
 * outcome ({@code ALREADY_RUNNING}), not a failure: the next night fits again.
 */
@Service
class CustomerValueRefit {

    static final String ALREADY_RUNNING = "ALREADY_RUNNING";

    /** FITTED or INSUFFICIENT_DATA with the fit, or ALREADY_RUNNING without. */
    record Outcome(String outcome, CustomerValueFits.Fit fit) {

        Optional<Long> version() {
            return Optional.ofNullable(fit).map(CustomerValueFits.Fit::version);
        }

        Optional<Integer> customers() {
            return Optional.ofNullable(fit).map(CustomerValueFits.Fit::customers);
        }

        Optional<Integer> repeatBuyers() {
            return Optional.ofNullable(fit).map(CustomerValueFits.Fit::repeatBuyers);
        }

        Optional<Long> durationMillis() {
            return Optional.ofNullable(fit).map(CustomerValueFits.Fit::durationMillis);
        }

        /** Whether both models' fits converged; empty when no model was fitted. */
        Optional<Boolean> converged() {
            return fit == null || fit.purchaseModel() == null
                    ? Optional.empty()
                    : Optional.of(
                            fit.purchaseModel().converged() && fit.spendModel().converged());
        }

        Optional<String> reason() {
            return Optional.ofNullable(fit).map(CustomerValueFits.Fit::reason);
        }
    }

    private final CustomerValueFits fits;

    CustomerValueRefit(CustomerValueFits fits) {
        this.fits = fits;
    }

    Outcome refit() {
        try {
            CustomerValueFits.Fit fit = fits.fit(null);
            return new Outcome(fit.status().name(), fit);
        } catch (Refusal e) {
            if (e.kind() != Refusal.Kind.CONFLICT) {
                throw e;
            }
            return new Outcome(ALREADY_RUNNING, null);
        }
    }
}
