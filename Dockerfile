# Two stages: build the binary and the UI, then a slim runtime with the model copied in.
FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm python3-pip && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release -p seenemall \
 && scripts/fetch-model.sh /model \
 && cd frontend && npm ci --no-audit --no-fund && npm run build

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/release/seenemall /usr/local/bin/seenemall
COPY --from=build /model /app/model
COPY --from=build /src/frontend/dist /app/frontend/dist
COPY config /app/config
COPY data/demo /app/data/demo
ENV HOST=0.0.0.0 PORT=8000 EMBED_MODEL=/app/model UI_DIR=/app/frontend/dist
EXPOSE 8000
CMD ["sh", "-c", "seenemall migrate && seenemall serve"]
