namespace LmToLlm.Samples.Synthetic;

/// <summary>
/// The hand-written English lexicon of the built-in collection: topics, each a list of concepts, each concept a pair
/// (document word, query synonym). Documents use only the first word of each pair; semantic queries use only the
/// second; the training text uses both in the same contexts, so word vectors learn that they mean the same.
/// </summary>
internal static class EnglishLexicon
{
    public static SyntheticLexicon Create() => new(
        "en",
        Topics:
        [
            new("cars", [("car", "automobile"), ("repair", "fix"), ("engine", "motor"), ("tire", "wheel"), ("fuel", "gasoline"), ("driver", "motorist"), ("brake", "stopper"), ("garage", "workshop")]),
            new("medicine", [("doctor", "physician"), ("illness", "disease"), ("medication", "drug"), ("hospital", "clinic"), ("surgery", "operation"), ("patient", "sufferer"), ("cure", "remedy"), ("symptom", "sign")]),
            new("cooking", [("cook", "chef"), ("recipe", "instructions"), ("stove", "oven"), ("meal", "dinner"), ("flavor", "taste"), ("pan", "skillet"), ("dish", "plate"), ("spice", "seasoning")]),
            new("finance", [("money", "cash"), ("loan", "credit"), ("bank", "lender"), ("profit", "earnings"), ("debt", "liability"), ("stock", "share"), ("investor", "shareholder"), ("tax", "levy")]),
            new("education", [("school", "academy"), ("teacher", "instructor"), ("student", "pupil"), ("exam", "test"), ("lesson", "lecture"), ("homework", "assignment"), ("grade", "mark"), ("classroom", "schoolroom")]),
            new("sports", [("football", "soccer"), ("coach", "trainer"), ("match", "game"), ("stadium", "arena"), ("athlete", "sportsman"), ("victory", "win"), ("team", "squad"), ("referee", "umpire")]),
            new("music", [("song", "tune"), ("singer", "vocalist"), ("concert", "performance"), ("guitar", "lute"), ("melody", "harmony"), ("band", "ensemble"), ("album", "record"), ("composer", "songwriter")]),
            new("weather", [("rain", "rainfall"), ("storm", "tempest"), ("forecast", "prediction"), ("wind", "breeze"), ("cloud", "overcast"), ("snow", "snowfall"), ("temperature", "heat"), ("flood", "deluge")]),
            new("computers", [("computer", "pc"), ("software", "program"), ("bug", "defect"), ("keyboard", "keypad"), ("screen", "monitor"), ("memory", "ram"), ("laptop", "notebook"), ("password", "passphrase")]),
            new("gardening", [("garden", "yard"), ("flower", "blossom"), ("seed", "kernel"), ("soil", "dirt"), ("weed", "nettle"), ("shovel", "spade"), ("harvest", "crop"), ("watering", "irrigation")]),
            new("travel", [("trip", "journey"), ("hotel", "inn"), ("luggage", "baggage"), ("flight", "airplane"), ("tourist", "traveler"), ("passport", "visa"), ("ticket", "fare"), ("vacation", "holiday")]),
            new("law", [("lawyer", "attorney"), ("judge", "magistrate"), ("court", "tribunal"), ("crime", "offense"), ("prison", "jail"), ("trial", "hearing"), ("verdict", "ruling"), ("witness", "testifier")]),
            new("pets", [("dog", "puppy"), ("cat", "kitten"), ("veterinarian", "vet"), ("leash", "lead"), ("kennel", "doghouse"), ("collar", "neckband"), ("treat", "snack"), ("groomer", "trimmer")]),
            new("housing", [("house", "home"), ("apartment", "flat"), ("rent", "lease"), ("landlord", "owner"), ("kitchen", "galley"), ("roof", "rooftop"), ("neighbor", "resident"), ("furniture", "furnishings")]),
            new("ocean", [("ocean", "sea"), ("ship", "vessel"), ("sailor", "mariner"), ("wave", "surf"), ("fish", "seafood"), ("beach", "shore"), ("harbor", "port"), ("whale", "cetacean")]),
            new("space", [("rocket", "spacecraft"), ("planet", "world"), ("astronaut", "cosmonaut"), ("star", "sun"), ("telescope", "observatory"), ("orbit", "trajectory"), ("moon", "satellite"), ("galaxy", "nebula")]),
            new("politics", [("election", "vote"), ("president", "leader"), ("government", "administration"), ("senator", "legislator"), ("campaign", "race"), ("policy", "platform"), ("citizen", "voter"), ("parliament", "congress")]),
            new("farming", [("farmer", "grower"), ("cow", "cattle"), ("tractor", "plow"), ("barn", "stable"), ("wheat", "grain"), ("field", "meadow"), ("fence", "hedge"), ("milk", "dairy")]),
            new("fashion", [("dress", "gown"), ("shirt", "blouse"), ("shoes", "footwear"), ("designer", "couturier"), ("fabric", "cloth"), ("jacket", "coat"), ("style", "look"), ("tailor", "seamstress")]),
            new("fitness", [("exercise", "workout"), ("gym", "fitness"), ("muscle", "strength"), ("running", "jogging"), ("diet", "nutrition"), ("weight", "kilograms"), ("stretch", "yoga"), ("sweat", "perspiration")]),
            new("film", [("movie", "film"), ("actor", "performer"), ("director", "filmmaker"), ("cinema", "theater"), ("scene", "sequence"), ("script", "screenplay"), ("audience", "viewers"), ("premiere", "opening")]),
            new("books", [("book", "volume"), ("author", "writer"), ("novel", "fiction"), ("library", "archive"), ("chapter", "section"), ("reader", "bookworm"), ("poem", "verse"), ("publisher", "press")]),
            new("energy", [("electricity", "power"), ("solar", "photovoltaic"), ("battery", "accumulator"), ("coal", "carbon"), ("turbine", "windmill"), ("grid", "network"), ("oil", "petroleum"), ("outage", "blackout")]),
            new("shopping", [("store", "shop"), ("price", "cost"), ("customer", "shopper"), ("discount", "sale"), ("purchase", "buy"), ("receipt", "invoice"), ("cashier", "clerk"), ("mall", "marketplace")]),
        ],
        Fillers: ["the", "a", "of", "and", "with", "in", "on", "for", "about", "this", "that", "is", "was", "very", "new", "old", "good", "many", "some", "often", "usually", "said", "found", "made", "took", "saw", "near", "after", "before", "during"],
        QueryGlue: ["and", "about", "for", "with"]);
}
