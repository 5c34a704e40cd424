package state

import (
	"context"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Topology says where Redis is. With nothing set, Connect starts the embedded server.
type Topology struct {
	URL            string   // redis:// or rediss:// URL of a single node
	ClusterAddrs   []string // host:port seeds of a Redis Cluster
	SentinelAddrs  []string // host:port of Sentinels
	SentinelMaster string   // master name watched by the Sentinels
	Password       string   // for cluster or sentinel topologies (a URL carries its own)
}

// Embedded reports whether no external Redis is configured.
func (t Topology) Embedded() bool {
	return t.URL == "" && len(t.ClusterAddrs) == 0 && len(t.SentinelAddrs) == 0
}

// Connection is an open Redis client plus, for the embedded server, the server itself.
type Connection struct {
	Client   redis.UniversalClient
	embedded *miniredis.Miniredis
}

// Embedded reports whether the connection is to the in-process server (nothing survives a restart).
func (c *Connection) Embedded() bool { return c.embedded != nil }

// Close closes the client and stops the embedded server, if any.
func (c *Connection) Close() error {
	err := c.Client.Close()
	if c.embedded != nil {
		c.embedded.Close()
	}
	return err
}

// Connect opens a client for the topology and checks that Redis answers.
func Connect(ctx context.Context, t Topology) (*Connection, error) {
	conn := &Connection{}
	switch {
	case t.Embedded():
		srv, err := miniredis.Run()
		if err != nil {
			return nil, fmt.Errorf("start embedded redis: %w", err)
		}
		conn.embedded = srv
		conn.Client = redis.NewClient(&redis.Options{Addr: srv.Addr()})
	case len(t.ClusterAddrs) > 0:
		conn.Client = redis.NewClusterClient(&redis.ClusterOptions{Addrs: t.ClusterAddrs, Password: t.Password})
	case len(t.SentinelAddrs) > 0:
		conn.Client = redis.NewFailoverClient(&redis.FailoverOptions{
			MasterName: t.SentinelMaster, SentinelAddrs: t.SentinelAddrs, Password: t.Password,
		})
	default:
		opt, err := redis.ParseURL(t.URL)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		conn.Client = redis.NewClient(opt)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := conn.Client.Ping(pingCtx).Err(); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("connect to redis: %w", err)
	}
	return conn, nil
}
