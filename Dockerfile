# Three stages: the UI (an official Node image: Vite needs Node >= 20.19, Debian bookworm ships
# 18), the binary and the model (Rust), then a slim runtime with all three copied in.
FROM node:22-bookworm-slim AS ui
WORKDIR /ui
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip unzip && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release -p seenemall \
 && scripts/fetch-model.sh /model

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/release/seenemall /usr/local/bin/seenemall
COPY --from=build /model /app/model
COPY --from=ui /ui/dist /app/frontend/dist
COPY config /app/config
COPY data/demo /app/data/demo
ENV HOST=0.0.0.0 PORT=8000 EMBED_MODEL=/app/model UI_DIR=/app/frontend/dist
EXPOSE 8000
CMD ["sh", "-c", "seenemall migrate && seenemall serve"]
