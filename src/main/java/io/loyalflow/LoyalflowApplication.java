package io.loyalflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LoyalflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(LoyalflowApplication.class, args);
    }
}
