// Command demoseeds generates the seed CSVs of the streamflix demo project:
// seeds/users.csv, seeds/channels.csv, seeds/videos.csv and
// seeds/view_events.csv.
//
// The data is synthetic but shaped like a small video-streaming service:
// signups grow over time, a few channels and videos get most of the views,
// people watch in the evening, each user has a favourite device, and view
// events only happen after the user signed up and the video was published.
// A little mess is left in on purpose for the staging models to clean up
// (country codes and plan names in mixed case, some missing birth years).
//
// Output is deterministic: the generator uses a fixed seed, its own small
// PRNG and integer arithmetic only, so
//
//	go run ./cmd/demoseeds
//
// rewrites the files byte for byte on every platform. Use -dir to write
// somewhere else.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

const (
	seed        = 20240101
	numUsers    = 500
	numVideos   = 400
	numEvents   = 4000
	dateLayout  = "2006-01-02"
	stampLayout = "2006-01-02 15:04:05"
)

var (
	// View events cover December 2023 to March 2024; the demo's start_date
	// var (2024-01-01) drops the December ones.
	eventsFrom = day(2023, 12, 1)
	eventsTo   = day(2024, 4, 1) // exclusive
)

func main() {
	dir := flag.String("dir", "seeds", "directory to write the CSV files to")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}

	r := &rng{state: seed}
	users := genUsers(r)
	channels := genChannels(r)
	videos := genVideos(r, channels)
	events := genEvents(r, users, videos)

	write(*dir, "users", []string{"user_id", "signup_date", "country", "plan", "birth_year"}, len(users), func(i int) []string {
		u := users[i]
		by := ""
		if u.birthYear != 0 {
			by = strconv.Itoa(u.birthYear)
		}
		return []string{strconv.Itoa(u.id), u.signup.Format(dateLayout), u.country, u.plan, by}
	})
	write(*dir, "channels", []string{"channel_id", "channel_name", "category", "created_at"}, len(channels), func(i int) []string {
		c := channels[i]
		return []string{strconv.Itoa(c.id), c.name, c.category, c.created.Format(dateLayout)}
	})
	write(*dir, "videos", []string{"video_id", "channel_id", "title", "duration_seconds", "published_at"}, len(videos), func(i int) []string {
		v := videos[i]
		return []string{strconv.Itoa(v.id), strconv.Itoa(v.channel.id), v.title, strconv.Itoa(v.duration), v.published.Format(stampLayout)}
	})
	write(*dir, "view_events", []string{"event_id", "user_id", "video_id", "viewed_at", "watch_seconds", "device"}, len(events), func(i int) []string {
		e := events[i]
		return []string{strconv.Itoa(e.id), strconv.Itoa(e.user.id), strconv.Itoa(e.video.id), e.at.Format(stampLayout), strconv.Itoa(e.watch), e.device}
	})
}

// rng is splitmix64: tiny, fast and stable forever, unlike library
// generators whose derived helpers may change between Go releases.
type rng struct{ state uint64 }

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a uniform int in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a uniform int in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// percent reports true with probability p/100.
func (r *rng) percent(p int) bool { return r.intn(100) < p }

// weighted picks an index with probability proportional to its weight.
func (r *rng) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.intn(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	panic("unreachable")
}

type choice struct {
	value  string
	weight int
}

func (r *rng) pick(cs []choice) string {
	ws := make([]int, len(cs))
	for i, c := range cs {
		ws[i] = c.weight
	}
	return cs[r.weighted(ws)].value
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func daysBetween(a, b time.Time) int { return int(b.Sub(a) / (24 * time.Hour)) }

// ---------------------------------------------------------------- users

type user struct {
	id        int
	signup    time.Time
	country   string
	plan      string
	birthYear int // 0: not given
	device    string
	activity  int // relative weight: how often this user watches
}

var countries = []choice{
	{"US", 30}, {"IN", 12}, {"GB", 10}, {"DE", 9}, {"BR", 9},
	{"FR", 7}, {"CA", 6}, {"MX", 6}, {"ES", 6}, {"JP", 5},
}

var plans = []choice{{"free", 55}, {"basic", 28}, {"premium", 17}}

var devices = []choice{{"mobile", 50}, {"desktop", 30}, {"tv", 20}}

func genUsers(r *rng) []user {
	first, last := day(2022, 1, 1), day(2024, 3, 20)
	span := daysBetween(first, last)
	users := make([]user, numUsers)
	for i := range users {
		// The later of two uniform days: signups grow over time.
		d := max(r.intn(span+1), r.intn(span+1))
		u := user{
			signup:  first.AddDate(0, 0, d),
			country: r.pick(countries),
			plan:    r.pick(plans),
			device:  r.pick(devices),
		}
		// Mobile app v1 sent lowercase country codes.
		if r.percent(6) {
			u.country = lower(u.country)
		}
		// The billing export spells plans in Title Case or UPPER now and then.
		switch {
		case r.percent(8):
			u.plan = capitalize(u.plan)
		case r.percent(3):
			u.plan = upper(u.plan)
		}
		// Birth year is optional at signup; roughly bell-shaped otherwise.
		if !r.percent(2) {
			u.birthYear = 1958 + r.between(0, 16) + r.between(0, 16) + r.between(0, 17)
		}
		// A few heavy watchers, many occasional ones.
		u.activity = 1 + r.intn(4)*r.intn(6)
		if lower(u.plan) == "premium" {
			u.activity += 3
		}
		users[i] = u
	}
	// user_id in signup order, like an auto-increment key.
	sort.SliceStable(users, func(i, j int) bool { return users[i].signup.Before(users[j].signup) })
	for i := range users {
		users[i].id = i + 1
	}
	return users
}

// ------------------------------------------------------------- channels

type channel struct {
	id         int
	name       string
	category   string
	created    time.Time
	popularity int
}

var channelNames = []struct{ category, name string }{
	{"gaming", "Pixel Pioneers"}, {"gaming", "Respawn Point"}, {"gaming", "Speedrun Central"},
	{"gaming", "The Boss Fight"}, {"gaming", "Retro Cartridge Club"},
	{"music", "Lo-Fi Lounge"}, {"music", "Vinyl Hours"}, {"music", "Bedroom Producer"},
	{"music", "Choir of Strangers"}, {"music", "Jazz Standards Weekly"},
	{"education", "Math Without Tears"}, {"education", "History Unboxed"}, {"education", "Everyday Physics"},
	{"education", "Code with Ada"}, {"education", "Chemistry Corner"},
	{"cooking", "Weeknight Kitchen"}, {"cooking", "The Sourdough Lab"}, {"cooking", "Spice Route"},
	{"cooking", "Five Ingredient Fix"}, {"cooking", "Street Food Atlas"},
	{"sports", "Full Time Analysis"}, {"sports", "Trail Runner Diaries"}, {"sports", "Court Vision"},
	{"sports", "The Climbing Wall"}, {"sports", "Tactics Board"},
	{"comedy", "Sketchy Business"}, {"comedy", "Open Mic Night"}, {"comedy", "Deadpan Daily"},
	{"comedy", "Improv Attic"}, {"comedy", "Awkward Silence"},
	{"tech", "Silicon Teardown"}, {"tech", "Homelab Heroes"}, {"tech", "Gadget Bench"},
	{"tech", "Terminal Velocity"}, {"tech", "Kernel Panic"},
	{"travel", "Backpack and Rails"}, {"travel", "Slow Travel Journal"}, {"travel", "Island Hopper"},
	{"travel", "Night Train Notes"}, {"travel", "Mountain Hut Stories"},
}

// The newest channel has not published anything yet.
const newestChannelCreated = "2024-03-18"

func genChannels(r *rng) []channel {
	first := day(2018, 3, 1)
	span := daysBetween(first, day(2023, 6, 30))
	channels := make([]channel, len(channelNames))
	for i, cn := range channelNames {
		channels[i] = channel{
			name:     cn.name,
			category: cn.category,
			created:  first.AddDate(0, 0, r.intn(span+1)),
			// A handful of big channels, a long tail of small ones.
			popularity: 1 + r.intn(3)*r.intn(4)*r.intn(5),
		}
	}
	// One channel, picked at random, is brand new.
	newest := r.intn(len(channels))
	channels[newest].created, _ = time.Parse(dateLayout, newestChannelCreated)
	channels[newest].popularity = 0
	sort.SliceStable(channels, func(i, j int) bool { return channels[i].created.Before(channels[j].created) })
	for i := range channels {
		channels[i].id = i + 1
	}
	return channels
}

// --------------------------------------------------------------- videos

type video struct {
	id         int
	channel    *channel
	title      string
	duration   int
	published  time.Time
	popularity int
}

// Per category: title subjects, title formats, duration range in seconds.
var categoryContent = map[string]struct {
	subjects []string
	formats  []string
	minDur   int
	maxDur   int
}{
	"gaming": {
		[]string{"Hollow Knight", "Elden Ring", "Stardew Valley", "Celeste", "Factorio", "Hades", "Minecraft", "Zelda", "Tetris", "Outer Wilds"},
		[]string{"%s Beginner Guide", "%s Any%% Speedrun", "%s Boss Rush", "%s Hidden Secrets", "Playing %s Blind", "%s 100%% Run Part 1", "Why %s Still Holds Up"},
		600, 3600,
	},
	"music": {
		[]string{"Rainy Day Beats", "Late Night Jazz", "Study Session", "Sunday Morning", "Piano Covers", "Synthwave Drive", "Acoustic Sessions", "Choir Warmups"},
		[]string{"%s Vol. 1", "%s Vol. 2", "%s Live", "%s Mix", "%s (Extended)", "%s Remastered"},
		150, 420,
	},
	"education": {
		[]string{"Linear Algebra", "The Roman Empire", "Thermodynamics", "Recursion", "Organic Chemistry", "Probability", "The Printing Press", "Electric Circuits", "Binary Search"},
		[]string{"%s Explained", "%s in 20 Minutes", "Intro to %s", "%s: Common Mistakes", "%s for Absolute Beginners", "The History of %s"},
		420, 1800,
	},
	"cooking": {
		[]string{"Sourdough", "Ramen", "Pad Thai", "Shakshuka", "Lasagna", "Dumplings", "Banana Bread", "Chili", "Tacos al Pastor"},
		[]string{"Easy %s", "%s in 30 Minutes", "The Perfect %s", "%s, Three Ways", "%s on a Budget", "My Grandmother's %s"},
		300, 1200,
	},
	"sports": {
		[]string{"Marathon Training", "Bouldering", "Pressing Systems", "Free Throws", "Trail Running", "Set Pieces", "Deadlifts", "Tennis Serves"},
		[]string{"%s Breakdown", "%s Drills", "%s: What the Pros Do", "%s Mistakes to Avoid", "Week 1 of %s"},
		300, 1500,
	},
	"comedy": {
		[]string{"Office Meetings", "Group Chats", "Airport Security", "Self Checkout", "Job Interviews", "Family Dinners", "Gym Etiquette"},
		[]string{"%s Be Like", "When %s Go Wrong", "%s: The Sketch", "Stand-up: %s", "Improv Night: %s"},
		120, 900,
	},
	"tech": {
		[]string{"a Raspberry Pi", "a Mechanical Keyboard", "a Home Server", "a Budget Laptop", "an E-Reader", "a Smart Thermostat", "a Gaming Mouse"},
		[]string{"Tearing Down %s", "Building %s", "Is %s Worth It", "Repairing %s", "Six Months with %s"},
		480, 1800,
	},
	"travel": {
		[]string{"Lisbon", "Kyoto", "Patagonia", "the Scottish Highlands", "Oaxaca", "Iceland", "the Dolomites", "Vietnam by Train"},
		[]string{"%s on a Budget", "Three Days in %s", "%s: Where Locals Eat", "%s, Off Season", "Getting Lost in %s"},
		600, 2400,
	},
}

func genVideos(r *rng, channels []channel) []video {
	var active []*channel
	var weights []int
	for i := range channels {
		if channels[i].popularity > 0 {
			active = append(active, &channels[i])
			weights = append(weights, 2+channels[i].popularity)
		}
	}
	latest := day(2024, 3, 28)
	seen := map[string]bool{}
	videos := make([]video, 0, numVideos)
	for i := 0; i < numVideos; i++ {
		// Every active channel has at least one video.
		var c *channel
		if i < len(active) {
			c = active[i]
		} else {
			c = active[r.weighted(weights)]
		}
		content := categoryContent[c.category]
		var title string
		for {
			title = capitalize(fmt.Sprintf(content.formats[r.intn(len(content.formats))], content.subjects[r.intn(len(content.subjects))]))
			if key := c.name + "\x00" + title; !seen[key] {
				seen[key] = true
				break
			}
		}
		from := c.created
		if floor := day(2022, 6, 1); from.Before(floor) {
			from = floor
		}
		published := from.Add(time.Duration(r.intn(int(latest.Sub(from).Seconds()))) * time.Second)
		videos = append(videos, video{
			channel:    c,
			title:      title,
			duration:   r.between(content.minDur, content.maxDur),
			published:  published,
			popularity: c.popularity * (1 + r.intn(3)*r.intn(4)),
		})
	}
	sort.SliceStable(videos, func(i, j int) bool { return videos[i].published.Before(videos[j].published) })
	for i := range videos {
		videos[i].id = i + 1
	}
	return videos
}

// ---------------------------------------------------------- view events

type event struct {
	id     int
	user   *user
	video  *video
	at     time.Time
	watch  int
	device string
}

// Share of views by hour of day: quiet nights, busy evenings.
var hourWeights = []int{4, 2, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 6, 5, 5, 5, 6, 7, 9, 11, 12, 12, 10, 7}

func genEvents(r *rng, users []user, videos []video) []event {
	userWeights := make([]int, len(users))
	for i, u := range users {
		userWeights[i] = u.activity
	}
	videoWeights := make([]int, len(videos))
	for i, v := range videos {
		videoWeights[i] = 1 + v.popularity
	}
	days := daysBetween(eventsFrom, eventsTo)
	events := make([]event, numEvents)
	for i := range events {
		d := eventsFrom.AddDate(0, 0, r.intn(days))
		// Weekends are busier.
		if wd := d.Weekday(); (wd == time.Monday || wd == time.Tuesday) && r.percent(25) {
			d = d.AddDate(0, 0, 5-int(wd)+r.intn(2)+1) // move to Saturday or Sunday
			if !d.Before(eventsTo) {
				d = d.AddDate(0, 0, -7)
			}
		}
		at := d.Add(time.Duration(r.weighted(hourWeights))*time.Hour +
			time.Duration(r.intn(3600))*time.Second)

		// Users watch only after signing up; videos only after publishing.
		var u *user
		for {
			u = &users[r.weighted(userWeights)]
			if u.signup.Before(at) {
				break
			}
		}
		var v *video
		for {
			v = &videos[r.weighted(videoWeights)]
			if v.published.Before(at) {
				break
			}
		}
		device := u.device
		if r.percent(30) {
			device = r.pick(devices)
		}
		var watch int
		switch {
		case r.percent(8): // bounced
			watch = r.between(2, 15)
		case r.percent(22): // watched to the end
			watch = v.duration
		default:
			watch = v.duration * r.between(5, 99) / 100
		}
		events[i] = event{user: u, video: v, at: at, watch: watch, device: device}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })
	for i := range events {
		events[i].id = i + 1
	}
	return events
}

// --------------------------------------------------------------- output

func write(dir, name string, header []string, n int, row func(int) []string) {
	path := filepath.Join(dir, name+".csv")
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	w := csv.NewWriter(f) // RFC 4180 quoting, \n line endings
	if err := w.Write(header); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := w.Write(row(i)); err != nil {
			log.Fatal(err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s (%d rows)\n", path, n)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return upper(s[:1]) + s[1:]
}
