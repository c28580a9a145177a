package io.loyalflow.customer;

import io.loyalflow.platform.problem.Refusal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/customers")
@Tag(name = "Customers", description = "Profiles, consents, purchase features, referral statistics and erasure")
class CustomerController {

    private final CustomerService customers;
    private final ReferralService referrals;

    CustomerController(CustomerService customers, ReferralService referrals) {
        this.customers = customers;
        this.referrals = referrals;
    }

    @PutMapping("/{customerId}")
    @Operation(
            summary = "Create or replace a customer's profile and apply consent statements",
            description = "201 when created, 200 when updated or unchanged. Profile fields are replaced as sent; "
                    + "each consent statement (email, sms, ads) replaces the consent on record unless an equal or more "
                    + "recent one is on record. "
                    + "With If-Match the write happens only at that version (412 otherwise).")
    ResponseEntity<CustomerView> upsert(
            @PathVariable String customerId,
            @RequestBody CustomerProfileRequest request,
            @Parameter(description = "the ETag of a previous read")
                    @RequestHeader(value = HttpHeaders.IF_MATCH, required = false)
                    String ifMatch) {
        CustomerService.Upserted result = customers.upsert(customerId, request, version(ifMatch));
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .eTag(etag(result.customer()))
                .body(result.customer());
    }

    @PutMapping("/{customerId}/referral")
    @Operation(
            summary = "Create or replace a customer's referral program statistics",
            description =
                    "201 when the customer had none, 200 when replaced or unchanged. A statement older than the one "
                            + "on record (statedAt) is not applied: 200 with the statistics on record and \"applied\": false. "
                            + "An unknown customer is created bare (origin REFERRAL); an erased one answers 404.")
    ResponseEntity<ReferralService.ReferralAnswer> stateReferral(
            @PathVariable String customerId, @RequestBody ReferralRequest request) {
        ReferralService.Stated result = referrals.state(customerId, request);
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(result.answer());
    }

    @GetMapping("/{customerId}")
    @Operation(summary = "A customer's profile, consents, purchase features and referral statistics")
    ResponseEntity<CustomerView> get(@PathVariable String customerId) {
        CustomerView customer = customers.view(customerId);
        return ResponseEntity.ok().eTag(etag(customer)).body(customer);
    }

    @DeleteMapping("/{customerId}")
    @Operation(
            summary = "Erase a customer's personal data (right to erasure)",
            description = "Contact data, names, attributes and consents are deleted; the customer's orders stay, "
                    + "anonymous, so revenue and counts do not change. The id is free afterwards.")
    ResponseEntity<Void> erase(@PathVariable String customerId) {
        customers.erase(customerId);
        return ResponseEntity.noContent().build();
    }

    private static String etag(CustomerView customer) {
        return "\"" + customer.version() + "\"";
    }

    private static Long version(String ifMatch) {
        if (ifMatch == null) {
            return null;
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw Refusal.invalid("If-Match", "must be an ETag returned by this API, such as \"3\"");
        }
    }
}
