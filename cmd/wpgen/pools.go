package main

import (
	"crypto/md5"
	"encoding/hex"
	"math/rand/v2"
)

// Value pools shared by both generators: names (with an ASCII slug for e-mail addresses) and places.

type name struct{ text, slug string }

var firstNames = []name{
	{"James", "james"}, {"Mary", "mary"}, {"John", "john"}, {"Patricia", "patricia"}, {"Robert", "robert"},
	{"Jennifer", "jennifer"}, {"Michael", "michael"}, {"Linda", "linda"}, {"David", "david"}, {"Elizabeth", "elizabeth"},
	{"William", "william"}, {"Barbara", "barbara"}, {"Richard", "richard"}, {"Susan", "susan"}, {"Joseph", "joseph"},
	{"Jessica", "jessica"}, {"Thomas", "thomas"}, {"Sarah", "sarah"}, {"Carlos", "carlos"}, {"Karen", "karen"},
	{"Zoë", "zoe"}, {"José", "jose"}, {"Seán", "sean"}, {"Björn", "bjorn"}, {"Chloé", "chloe"},
	{"Renée", "renee"}, {"Jürgen", "jurgen"}, {"Ana", "ana"}, {"Priya", "priya"}, {"Wei", "wei"},
	{"Yuki", "yuki"}, {"Fatima", "fatima"}, {"Olga", "olga"}, {"Mateo", "mateo"}, {"Aisha", "aisha"},
	{"花子", "hanako"}, {"美咲", "misaki"}, {"Noah", "noah"}, {"Emma", "emma"}, {"Liam", "liam"},
}

var lastNames = []name{
	{"Smith", "smith"}, {"Johnson", "johnson"}, {"Williams", "williams"}, {"Brown", "brown"}, {"Jones", "jones"},
	{"Garcia", "garcia"}, {"Miller", "miller"}, {"Davis", "davis"}, {"Rodriguez", "rodriguez"}, {"Martinez", "martinez"},
	{"Hernandez", "hernandez"}, {"Lopez", "lopez"}, {"Gonzalez", "gonzalez"}, {"Wilson", "wilson"}, {"Anderson", "anderson"},
	{"Taylor", "taylor"}, {"Moore", "moore"}, {"Jackson", "jackson"}, {"Martin", "martin"}, {"Lee", "lee"},
	{"O'Brien", "obrien"}, {"D'Souza", "dsouza"}, {"Müller", "mueller"}, {"Schäfer", "schaefer"}, {"Núñez", "nunez"},
	{"García", "garcia"}, {"Øster", "oster"}, {"Kowalski", "kowalski"}, {"Nguyen", "nguyen"}, {"Kim", "kim"},
	{"佐藤", "sato"}, {"王", "wang"}, {"Patel", "patel"}, {"Smith-Jones", "smithjones"}, {"van der Berg", "vanderberg"},
	{"", "x"},
}

type place struct {
	country, state, city, postcode, currency string
	street                                   string
}

var places = []place{
	{"US", "NY", "New York", "10001", "USD", "350 5th Ave"},
	{"US", "CA", "Los Angeles", "90012", "USD", "200 N Spring St"},
	{"US", "TX", "Austin", "73301", "USD", "500 Congress Ave"},
	{"US", "IL", "Chicago", "60601", "USD", "233 S Wacker Dr"},
	{"US", "WA", "Seattle", "98101", "USD", "400 Pine St"},
	{"US", "FL", "Miami", "33101", "USD", "100 Biscayne Blvd"},
	{"US", "MA", "Boston", "02108", "USD", "24 Beacon St"},
	{"US", "GA", "Atlanta", "30303", "USD", "55 Trinity Ave SW"},
	{"CA", "ON", "Toronto", "M5V 2T6", "CAD", "290 Bremner Blvd"},
	{"CA", "BC", "Vancouver", "V6B 1A1", "CAD", "800 Robson St"},
	{"GB", "", "London", "EC1A 1BB", "GBP", "1 St Martin's Le Grand"},
	{"DE", "DE-BE", "Berlin", "10115", "EUR", "Invalidenstraße 117"},
	{"DE", "DE-BY", "München", "80331", "EUR", "Marienplatz 8"},
	{"FR", "", "Paris", "75001", "EUR", "1 Rue de Rivoli"},
	{"IE", "D", "Dublin", "D02 X285", "EUR", "12 O'Connell Street Upper"},
	{"ES", "B", "Barcelona", "08001", "EUR", "La Rambla 91"},
	{"IT", "RM", "Roma", "00118", "EUR", "Via del Corso 12"},
	{"AU", "NSW", "Sydney", "2000", "AUD", "1 Macquarie St"},
	{"JP", "JP13", "千代田区", "100-0001", "JPY", "千代田1-1"},
	{"IN", "MH", "Mumbai", "400001", "INR", "Marine Drive 7"},
	{"BR", "SP", "São Paulo", "01000-000", "BRL", "Avenida Paulista 1578"},
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted returns an index into weights (percentages or any positive weights) chosen with their probability.
func weighted(r *rand.Rand, weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// hexOf returns 2*n lower-case hex characters drawn from r.
func hexOf(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return hex.EncodeToString(b)
}

// md5Hex is the 32-character lower-case MD5 PHP's md5() returns.
func md5Hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}
