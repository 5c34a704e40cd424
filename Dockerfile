# syntax=docker/dockerfile:1
# Build a static binary, then ship it alone in a small non-root image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/tradeguard/tradeguard/bot.Version=${VERSION}" -o /out/tradeguard .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tradeguard /usr/local/bin/tradeguard
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/tradeguard"]
CMD ["gateway"]
