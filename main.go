// Command tradeguard is a Discord bot for buyers who order from Alibaba.com suppliers under Trade Assurance.
// Run "go run . help" for its subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tradeguard/tradeguard/bot"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := bot.Main(ctx, os.Args[1:], bot.OSEnv())
	stop()
	os.Exit(code)
}
