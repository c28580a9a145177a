package io.loyalflow.journey;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Journeys", description = "Starting journeys for one customer, and each customer's journeys")
class EnrollmentController {

    private final JourneyStarts starts;

    EnrollmentController(JourneyStarts starts) {
        this.starts = starts;
    }

    record EnrollmentRequest(String customerId, String idempotencyKey) {}

    record EnrollmentView(long enrollmentKey, String processInstanceId, String businessKey) {}

    @Operation(
            summary = "Starts the campaign's journey for one customer: 201 with the process instance id and business "
                    + "key; the same idempotencyKey again answers 200 with the same journey. 409 when the re-entry policy refuses "
                    + "or the campaign is not active; 422 when the customer is unknown or outside the audience")
    @PostMapping("/api/campaigns/{id}/enrollments")
    ResponseEntity<EnrollmentView> enroll(@PathVariable String id, @RequestBody EnrollmentRequest request) {
        JourneyStarts.Started started = starts.start(id, request.customerId(), request.idempotencyKey());
        EnrollmentView view =
                new EnrollmentView(started.enrollmentKey(), started.processInstanceId(), started.businessKey());
        return started.created()
                ? ResponseEntity.created(URI.create("/api/customers/" + request.customerId() + "/journeys"))
                        .body(view)
                : ResponseEntity.status(HttpStatus.OK).body(view);
    }
}
