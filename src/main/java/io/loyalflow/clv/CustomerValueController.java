package io.loyalflow.clv;

import io.loyalflow.customer.ValuePrediction;
import io.loyalflow.platform.problem.Refusal;
import io.swagger.v3.oas.annotations.Operation;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CustomerValueController {

    /** @param calibrationEnd the last day of the orders the model learns from (ISO date); today when absent */
    record FitRequest(String calibrationEnd) {}

    private final CustomerValueFits fits;

    CustomerValueController(CustomerValueFits fits) {
        this.fits = fits;
    }

    @Operation(
            summary = "Fit the customer-value model (BG/NBD and Gamma-Gamma) on the stored orders up to the "
                    + "calibration end, score every customer with an order by then, and store both as a new version")
    @PostMapping("/api/models/clv/fit")
    ResponseEntity<CustomerValueFits.Fit> fit(@RequestBody(required = false) FitRequest request) {
        LocalDate calibrationEnd = null;
        if (request != null && request.calibrationEnd() != null) {
            try {
                calibrationEnd = LocalDate.parse(request.calibrationEnd());
            } catch (DateTimeParseException e) {
                throw Refusal.invalid("calibrationEnd", "must be an ISO date such as 1997-09-30");
            }
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(fits.fit(calibrationEnd));
    }

    @Operation(summary = "Every fit attempt, newest first")
    @GetMapping("/api/models/clv/fits")
    List<CustomerValueFits.Fit> fits() {
        return fits.fits();
    }

    @Operation(summary = "The fit whose predictions are in place (the latest FITTED one)")
    @GetMapping("/api/models/clv/fits/current")
    CustomerValueFits.Fit current() {
        return fits.current().orElseThrow(() -> Refusal.notFound("No customer-value model has been fitted yet"));
    }

    @Operation(summary = "One fit attempt by version")
    @GetMapping("/api/models/clv/fits/{version}")
    CustomerValueFits.Fit fit(@PathVariable String version) {
        long number;
        try {
            number = Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw Refusal.invalid("version", "must be a fit version number");
        }
        return fits.find(number).orElseThrow(() -> Refusal.notFound("No customer-value fit " + version));
    }

    @Operation(
            summary = "A customer's current value prediction (expected purchases, P(alive), expected order value, "
                    + "predicted value and its percentile over the model's horizon) and the fit it comes from")
    @GetMapping("/api/customers/{customerId}/value")
    ValuePrediction prediction(@PathVariable String customerId) {
        long customerKey =
                fits.customerKey(customerId).orElseThrow(() -> Refusal.notFound("No customer " + customerId));
        return fits.of(customerKey)
                .orElseThrow(() -> Refusal.notFound("No value prediction for " + "customer " + customerId
                        + ": no model fitted yet, or no order up to the calibration end of the current fit"));
    }
}
