// The demo company, Harbor & Pine Supply Co.: a wholesaler of outdoor, garden and workshop goods.
// Plain data; seed.ts turns it into records through the domain functions.

export const demoUsers = [
  { name: 'Sam Seller', email: 'sales@erp.local', role: 'sales' },
  { name: 'Fiona Finch', email: 'finance@erp.local', role: 'finance' },
  { name: 'Ivan Stock', email: 'inventory@erp.local', role: 'inventory' },
  { name: 'Ana Lytic', email: 'analyst@erp.local', role: 'analyst' },
  { name: 'Vera Viewer', email: 'viewer@erp.local', role: 'viewer' },
] as const;

export const demoCustomers: [name: string, email: string | null, phone: string | null][] = [
  ['Acme Landscaping LLC', 'orders@acme-landscaping.com', '+1 503 555 0101'],
  ['Blue Ridge Outfitters', 'purchasing@blueridgeoutfitters.com', '+1 828 555 0142'],
  ['Café Lumière', 'bonjour@cafelumiere.fr', '+33 1 55 55 01 23'],
  ['Müller Gartenbau GmbH', 'einkauf@mueller-gartenbau.de', '+49 30 5550 1789'],
  ['Cascade Hardware Co-op', 'buyer@cascadehardware.coop', '+1 206 555 0177'],
  ['Evergreen Property Management', 'maintenance@evergreenpm.com', '+1 971 555 0110'],
  ['Fjällräven Camp Supply AB', 'inkop@fjallcamp.se', '+46 8 555 012 34'],
  ['Golden Gate Nurseries', 'accounts@ggnurseries.com', '+1 415 555 0199'],
  ['Harborview Marina', 'office@harborviewmarina.com', '+1 360 555 0133'],
  ['Ironwood Builders Inc.', 'procurement@ironwoodbuilders.com', '+1 541 555 0166'],
  ['Juniper Schools District', 'facilities@juniperschools.org', '+1 208 555 0120'],
  ['Kestrel Parks & Recreation', 'parks@kestrel.gov', '+1 509 555 0188'],
  ['Lakeside Resort & Spa', 'purchasing@lakesideresort.com', '+1 775 555 0104'],
  ['Maple Leaf Garden Centre', 'orders@mapleleafgarden.ca', '+1 604 555 0157'],
  ['Northwind Traders', 'supply@northwindtraders.com', '+1 425 555 0191'],
  ['Oakridge Golf Club', 'greens@oakridgegolf.com', '+1 916 555 0148'],
  ['Pinecrest Hotel Group', 'ap@pinecresthotels.com', '+1 702 555 0112'],
  ['Quarry Stoneworks', 'info@quarrystoneworks.com', null],
  ['Redwood Community College', 'receiving@redwoodcc.edu', '+1 707 555 0139'],
  ['Summit Climbing Gyms', 'gear@summitclimbing.com', '+1 303 555 0171'],
  ['Tidewater Boat Works', 'parts@tidewaterboats.com', '+1 757 555 0125'],
  ['Urban Roots Co-operative', 'hello@urbanroots.coop', '+1 503 555 0184'],
  ['Valley Vineyards', 'cellar@valleyvineyards.com', '+1 707 555 0163'],
  ['Westbrook Facilities Services', 'dispatch@westbrookfs.com', '+1 253 555 0107'],
  ['Yellowstone Lodge Partners', 'supplies@yslodge.com', '+1 406 555 0194'],
  ['Zephyr Sailing School', 'crew@zephyrsailing.org', '+1 360 555 0115'],
  ['Åsa Lindqvist Trädgård', 'asa@lindqvist-tradgard.se', null],
  ['Bäckerei Schönbrunn', 'info@schoenbrunn-baeckerei.at', '+43 1 555 0147'],
  ['Cedar Point Campgrounds', 'office@cedarpointcamp.com', '+1 419 555 0130'],
  ['Desert Bloom Xeriscapes', 'jobs@desertbloomaz.com', '+1 480 555 0182'],
  ['Emerald City Rooftops', 'pm@emeraldrooftops.com', '+1 206 555 0159'],
  ['Foxglove Florists', 'shop@foxgloveflorists.com', '+1 503 555 0126'],
  ['Granite State Trail Crew', 'crew@granitetrails.org', '+1 603 555 0173'],
  ['Highland Hostels Ltd', 'stores@highlandhostels.co.uk', '+44 131 555 0168'],
  ['Island Kayak Tours', 'paddle@islandkayak.com', '+1 808 555 0102'],
  ['José Ortega Jardinería', 'jose@ortegajardineria.es', '+34 91 555 0145'],
  ['Kinfolk Farm Collective', 'farm@kinfolkfarm.org', null],
  ['Lumen Office Parks', 'facilities@lumenparks.com', '+1 512 555 0179'],
  ['Mountain Mutual Insurance', 'admin@mountainmutual.com', '+1 801 555 0136'],
  ['Nordic Ski Academy', 'wax@nordicski.edu', '+1 802 555 0161'],
  ['Østergaard Byggeri ApS', 'indkob@ostergaard-byg.dk', '+45 33 55 01 55'],
  ['Prairie Wind Solar', 'ops@prairiewindsolar.com', '+1 701 555 0118'],
];

/** [sku, name, price, cost, reorder point, opening quantity, description] */
export const demoProducts: [string, string, string, string, number, number, string][] = [
  ['GRD-HOSE-25', 'Garden Hose 25 m', '39.90', '18.50', 20, 64, 'Kink-resistant rubber hose with brass fittings.'],
  ['GRD-HOSE-50', 'Garden Hose 50 m', '64.90', '31.20', 10, 22, 'Kink-resistant rubber hose with brass fittings, 50 metres.'],
  ['GRD-RAKE-14', 'Leaf Rake, 14 Tines', '24.50', '9.80', 15, 40, 'Ash handle, spring-steel tines.'],
  ['GRD-SHOV-RP', 'Round-Point Shovel', '34.00', '14.25', 15, 12, 'Tempered steel blade, fibreglass handle.'],
  ['GRD-PRUN-BY', 'Bypass Pruners', '28.75', '11.40', 25, 85, 'Hardened steel blades, cuts up to 20 mm.'],
  ['GRD-WBAR-6', 'Wheelbarrow 6 cu ft', '129.00', '68.00', 5, 9, 'Steel tray, pneumatic tyre.'],
  ['GRD-SPRK-OSC', 'Oscillating Sprinkler', '22.90', '8.60', 20, 14, 'Covers up to 300 m², adjustable range.'],
  ['GRD-GLOV-L', 'Leather Work Gloves (L)', '14.95', '5.10', 50, 180, 'Cowhide palms, elastic cuff.'],
  ['GRD-SEED-MIX', 'Wildflower Seed Mix 1 kg', '19.50', '6.90', 30, 26, 'Native pollinator blend, covers 100 m².'],
  ['GRD-COMP-BIN', 'Compost Bin 300 L', '79.00', '37.50', 8, 17, 'Recycled plastic, ventilated sides.'],
  ['OUT-TENT-2P', 'Backpacking Tent 2-Person', '249.00', '132.00', 6, 18, 'Freestanding, 1.9 kg, aluminium poles.'],
  ['OUT-TENT-4P', 'Family Tent 4-Person', '389.00', '205.00', 4, 7, 'Two rooms, full-coverage fly.'],
  ['OUT-SBAG-M5', 'Sleeping Bag −5 °C', '149.00', '71.00', 10, 33, 'Synthetic fill, mummy cut.'],
  ['OUT-STOV-CP', 'Camp Stove, Canister', '59.00', '26.40', 12, 41, 'Piezo ignition, 3 kW.'],
  ['OUT-LANT-LED', 'LED Lantern 500 lm', '34.90', '13.10', 20, 58, 'USB-C rechargeable, 40 h on low.'],
  ['OUT-KAYK-SIT', 'Sit-on-Top Kayak', '699.00', '402.00', 2, 5, '3.1 m, stable recreational hull.'],
  ['OUT-PADL-AL', 'Kayak Paddle, Aluminium', '69.00', '29.00', 8, 6, '230 cm, feathered blades.'],
  ['OUT-PFD-ADL', 'Life Jacket, Adult', '74.50', '33.75', 15, 44, 'Type III buoyancy aid, US Coast Guard approved.'],
  ['OUT-HMCK-NY', 'Nylon Hammock', '44.00', '17.20', 10, 29, 'Ripstop nylon, tree straps included.'],
  ['OUT-WATR-FL', 'Water Filter, Squeeze', '39.00', '15.60', 15, 11, '0.1 micron hollow-fibre filter.'],
  ['WRK-DRIL-18', 'Cordless Drill 18 V', '159.00', '84.00', 6, 21, 'Brushless, two 2 Ah batteries, charger.'],
  ['WRK-SAW-CIRC', 'Circular Saw 185 mm', '189.00', '101.00', 4, 8, '1,400 W, laser guide.'],
  ['WRK-LADR-3M', 'Aluminium Ladder 3 m', '139.00', '72.00', 5, 4, 'Combination ladder, EN 131.'],
  ['WRK-TOOL-BOX', 'Steel Toolbox', '49.00', '21.00', 10, 27, 'Cantilever trays, lockable.'],
  ['WRK-HAMR-16', 'Claw Hammer 16 oz', '21.00', '7.80', 20, 66, 'Fibreglass shaft, anti-vibration grip.'],
  ['WRK-GLSS-SF', 'Safety Glasses', '9.90', '2.70', 60, 240, 'Anti-fog, EN 166 rated.'],
  ['WRK-EARM-PR', 'Ear Defenders', '24.00', '9.30', 25, 19, 'SNR 30 dB, folding headband.'],
  ['WRK-TARP-46', 'Heavy-Duty Tarp 4×6 m', '36.00', '13.90', 15, 52, 'Waterproof polyethylene, brass grommets.'],
  ['WRK-RAKE-LND', 'Landscape Rake 90 cm', '58.00', '24.50', 6, 13, 'Aluminium head, for grading soil.'],
  ['WRK-BLWR-EL', 'Electric Leaf Blower', '119.00', '58.00', 5, 10, '2,500 W, variable speed, vacuum mode.'],
  ['WRK-CHNS-40', 'Chainsaw 40 cm', '329.00', '176.00', 3, 2, 'Petrol, 45 cc, chain brake.'],
  ['WRK-SPRY-16', 'Pressure Sprayer 16 L', '54.00', '22.00', 8, 15, 'Backpack sprayer with brass wand.'],
];

/** [name, email, phone, sku prefixes it supplies, lead time in days] */
export const demoSuppliers: [string, string, string, string[], number][] = [
  ['GreenThumb Wholesale', 'sales@greenthumbwholesale.com', '+1 503 555 0400', ['GRD-'], 7],
  ['TrailCraft Manufacturing', 'orders@trailcraft.com', '+1 801 555 0410', ['OUT-TENT', 'OUT-SBAG', 'OUT-HMCK'], 21],
  ['Nordlys Outdoor AS', 'export@nordlys-outdoor.no', '+47 22 55 04 20', ['OUT-STOV', 'OUT-LANT', 'OUT-WATR'], 28],
  ['Pacific Paddle Sports', 'dealers@pacificpaddle.com', '+1 360 555 0430', ['OUT-KAYK', 'OUT-PADL', 'OUT-PFD'], 14],
  ['ForgeLine Tools', 'b2b@forgelinetools.com', '+1 414 555 0440', ['WRK-'], 10],
  ['SafeGuard PPE Supply', 'orders@safeguardppe.com', '+1 312 555 0450', ['WRK-GLSS', 'WRK-EARM', 'GRD-GLOV'], 5],
];

export const demoFacts: [customerName: string, key: string, value: string][] = [
  ['Acme Landscaping LLC', 'preferred_contact', 'E-mail Dana in purchasing; she approves orders over $2,000'],
  ['Acme Landscaping LLC', 'delivery_window', 'Weekdays 7–10 am at the Burnside yard'],
  ['Café Lumière', 'language', 'Prefers correspondence in French'],
  ['Müller Gartenbau GmbH', 'payment_terms', 'Net 45 agreed in 2025; invoices in EUR wording'],
  ['Harborview Marina', 'seasonality', 'Orders peak April–June ahead of boating season'],
  ['Juniper Schools District', 'purchase_orders', 'Needs a PO number on every invoice'],
  ['Northwind Traders', 'key_account', 'Top-10 account; quarterly business review with Sam'],
  ['Summit Climbing Gyms', 'interests', 'Asked about bulk pricing on safety glasses and ear defenders'],
];

/** [company, e-mail, message, where the lead stands] */
export const demoLeads: [string, string, string, 'new' | 'contacted' | 'qualified' | 'won' | 'lost'][] = [
  ['Timberline Trail Outfitters', 'gear@timberlinetrail.com', 'We need a quote for 60 units of the Backpacking Tent 2-Person and 60 Sleeping Bag −5 °C for our rental fleet. Delivery before May, please.', 'new'],
  ['Riverbend Parks Department', 'purchasing@riverbendparks.gov', 'Requesting pricing on 40 Leaf Rakes, 20 Wheelbarrows and 200 pairs of Leather Work Gloves for the spring clean-up programme. Do you offer bulk discounts?', 'qualified'],
  ['Coastal Kayak Club', 'board@coastalkayak.org', 'Interested in 12 Sit-on-Top Kayaks with paddles and life jackets. What is the lead time and is there a club discount?', 'contacted'],
  ['Jamie R.', 'jamie.r@gmail.com', 'hi do you sell hammocks', 'new'],
  ['GreenLeaf Facilities', 'ops@greenleaffacilities.com', 'Please set up a trade account. We buy Safety Glasses and Ear Defenders monthly, roughly 300 pcs each. Invoice terms net 30?', 'won'],
  ['Alex Student', 'alex.student@outlook.com', 'I am a student looking for an internship in your warehouse, any job openings?', 'lost'],
  ['Peak Performance Gyms', 'procurement@peakgyms.com', 'Could you send availability and pricing for Cordless Drill 18 V (x10) and Steel Toolbox (x10) for our maintenance teams?', 'contacted'],
  ['SEO Boosters', 'hello@gmail.com', 'We can get your site to page one! Backlink packages from $99, unsubscribe anytime.', 'lost'],
  ['Lakeview Campground Co-op', 'manager@lakeviewcamp.coop', 'Looking to order LED Lanterns (50 units) and Camp Stoves (20 units) ahead of summer. Please quote.', 'qualified'],
  ['Hillside Vineyard', 'estate@hillsidevineyard.com', 'Need Pressure Sprayers and Bypass Pruners for harvest crew, about 25 sets. What would the delivery cost be?', 'new'],
];

/** [customer index, subject, body, status] */
export const demoTickets: [number, string, string, 'open' | 'pending' | 'resolved' | 'closed'][] = [
  [0, 'Wheelbarrow tyre arrived flat', 'Two of the six wheelbarrows in order last week have flat tyres. Replacement tubes?', 'open'],
  [2, 'Facture en double', 'Nous avons reçu deux fois la même facture pour la commande de mars.', 'pending'],
  [8, 'Life jacket sizing', 'Several adult life jackets are too large for our junior sailors. Can we exchange for smaller sizes?', 'resolved'],
  [14, 'Delivery missed the loading dock window', 'Driver arrived at 2pm; our dock closes at noon. Please note for future deliveries.', 'closed'],
  [19, 'Missing safety glasses in shipment', 'Packing slip says 50, box contained 40.', 'open'],
  [3, 'Garden hose fittings leaking', 'Brass fittings on three 25 m hoses leak at the tap connector.', 'pending'],
  [11, 'Request for product certificates', 'Parks department needs EN 166 certificates for the safety glasses.', 'resolved'],
  [24, 'Tent pole snapped on first use', 'Family Tent 4-Person, pole section 3 cracked while pitching.', 'open'],
];
