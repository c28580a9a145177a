package io.loyalflow.order;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/orders")
@Tag(name = "Orders", description = "Orders, recorded exactly once per orderId")
class OrderController {

    private final OrderIntake intake;

    OrderController(OrderIntake intake) {
        this.intake = intake;
    }

    @PostMapping
    @Operation(
            summary = "Record an order",
            description = "201 when recorded; 200 with the recorded order when the same order was sent before; "
                    + "409 naming the differing fields when the orderId was recorded with other content. "
                    + "An order for an unknown customer creates that customer.")
    ResponseEntity<OrderView> record(@RequestBody OrderRequest order) {
        OrderIntake.Recorded recorded = intake.record(order);
        if (recorded.created()) {
            return ResponseEntity.created(
                            URI.create("/api/orders/" + recorded.order().orderId()))
                    .body(recorded.order());
        }
        return ResponseEntity.ok(recorded.order());
    }

    @GetMapping("/{orderId}")
    @Operation(summary = "A recorded order")
    OrderView get(@PathVariable String orderId) {
        return intake.view(orderId);
    }
}
