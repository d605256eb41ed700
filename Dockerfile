# Production image: both binaries and the console.
FROM node:20-bookworm AS console
WORKDIR /src/frontend
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY graph/ /src/graph/
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=console /src/frontend/dist/app ./frontend/dist/app
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -ldflags "-s -w -X github.com/scoopa/webhooks/internal/app.Version=${VERSION}" -o /out/scoopa-server ./cmd/server \
 && CGO_ENABLED=0 go build -ldflags "-s -w -X github.com/scoopa/webhooks/internal/app.Version=${VERSION}" -o /out/scoopa-worker ./cmd/worker

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ /usr/local/bin/
ENV SCOOPA_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/scoopa-server"]
