package io.loyalflow.journey;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Journeys", description = "Starting journeys for one customer, and each customer's journeys")
class CustomerEventController {

    private final CustomerEvents events;

    CustomerEventController(CustomerEvents events) {
        this.events = events;
    }

    @Operation(
            summary =
                    "Reports an event about a customer (type in PascalCase, e.g. SurveyAnswered). The customer's "
                            + "journeys and follow-up scenarios waiting for the message Msg_<type> move on; the answer lists them. 201 for a "
                            + "new event; 200 with the first answer when the eventId was already taken; 404 for an unknown customer")
    @PostMapping("/api/customers/{customerId}/events")
    ResponseEntity<CustomerEvents.Recorded> report(
            @PathVariable String customerId, @RequestBody CustomerEvents.EventRequest request) {
        CustomerEvents.Recorded recorded = events.record(customerId, request);
        return recorded.created()
                ? ResponseEntity.created(URI.create("/api/customers/" + customerId + "/journeys"))
                        .body(recorded)
                : ResponseEntity.ok(recorded);
    }
}
