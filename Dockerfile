# Loyalflow service image: built from source with the Maven wrapper, run as a non-root user.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY bpmn bpmn
COPY dmn dmn
RUN ./mvnw -B -q package -DskipTests && cp target/loyalflow-*.jar /loyalflow.jar

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app loyalflow
WORKDIR /app
COPY --from=build /loyalflow.jar /app/loyalflow.jar
USER loyalflow
EXPOSE 8080
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/app/loyalflow.jar"]
